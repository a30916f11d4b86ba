"""The FINESS+ domain model, the GraphStore contract, its implementations and time logic."""
