"""Organigram boxes read with only the properties they show are the boxes read with all of them."""

from __future__ import annotations

from api.formats.names import NAMING_KEYS
from api.tree import tree_json
from graph.embedded_store import KIND, EmbeddedStore
from graph.labels import Labels


def test_box_keys_give_the_same_tree_for_every_structure(real_store: EmbeddedStore) -> None:
    labels = Labels.bundled()
    parents = {"LegalEntity", "Establishment", "OrganicGrouping", "ConventionalGrouping"}
    roots = [node_id for node_id, item in real_store.nodes_table.items() if item[KIND] in parents]
    assert len(roots) > 1000
    shown = 0
    for root in roots:
        whole, boxed = (real_store.organigram(root, depth=2, keys=k) for k in (None, NAMING_KEYS))
        assert whole is not None
        assert boxed is not None
        assert tree_json(boxed, labels) == tree_json(whole, labels), root
        shown += len(whole.children)
    assert shown > 5000  # members, establishments and activities
