from pathlib import Path

from graphdb.domain import INDEXES

DOC = Path(__file__).parents[2] / "docs" / "graph-model.md"


def test_the_graph_model_documents_every_key_and_index() -> None:
    text = DOC.read_text()
    missing = [
        index.name for index in INDEXES if f"`{index.label}.{index.properties[0]}`" not in text
    ]
    assert missing == []
