from pathlib import Path

from graphdb.domain import INDEXES
from graphdb.model import RELATIONSHIPS

DOC = Path(__file__).parents[2] / "docs" / "graph-model.md"


def test_the_graph_model_documents_every_key_and_index() -> None:
    text = DOC.read_text()
    missing = [
        index.name for index in INDEXES if f"`{index.label}.{index.properties[0]}`" not in text
    ]
    assert missing == []


def test_the_graph_model_shows_every_relationship() -> None:
    text = DOC.read_text()
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    assert [kind for _, kind, _ in RELATIONSHIPS if kind not in diagram] == []
