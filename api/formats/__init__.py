"""Export formats of a subgraph for integrators: node-link JSON, GraphML, GEXF, CSV and FHIR R4.

Only graph/ types come in and bytes or plain dicts go out, so the REST routes, the GraphQL schema
and the `export` command give the same files (docs/exports.md).
"""

from api.formats.fhir import bundle
from api.formats.names import code_labels, display_name, kind
from api.formats.node_link import ExportMeta, node_link
from api.formats.render import FORMATS, Rendered, render

__all__ = [
    "FORMATS",
    "ExportMeta",
    "Rendered",
    "bundle",
    "code_labels",
    "display_name",
    "kind",
    "node_link",
    "render",
]
