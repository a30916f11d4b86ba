"""REST routes for integrators, under /api/v1/."""
