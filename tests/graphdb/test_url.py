import pytest

from graphdb import GraphUrlError, parse_graph_url


@pytest.mark.parametrize("url", ["", "embedded", "embedded://", "  embedded  "])
def test_embedded_is_the_default(url: str) -> None:
    assert parse_graph_url(url).backend == "embedded"


def test_neo4j_url_with_credentials_and_database() -> None:
    target = parse_graph_url("neo4j+s://hub:s%40cret@graph.example:7688/league")
    assert (target.backend, target.host, target.port) == ("neo4j", "graph.example", 7688)
    assert (target.user, target.password, target.database) == ("hub", "s@cret", "league")
    assert target.neo4j_uri == "neo4j+s://graph.example:7688"
    assert "s@cret" not in target.address


@pytest.mark.parametrize(
    ("url", "host", "uri"),
    [
        ("neo4j://[::1]:7687", "::1", "neo4j://[::1]:7687"),
        ("bolt+s://hub:pw@[2001:DB8::7]/league", "2001:db8::7", "bolt+s://[2001:db8::7]:7687"),
        ("neo4j://10.0.0.7:7688", "10.0.0.7", "neo4j://10.0.0.7:7688"),
    ],
)
def test_an_ipv6_host_keeps_its_brackets_in_uris(url: str, host: str, uri: str) -> None:
    """Without brackets the driver reads ``neo4j://::1:7687`` as localhost, port ``1:7687``."""
    target = parse_graph_url(url)
    assert target.host == host  # as a socket takes it
    assert target.neo4j_uri == uri
    assert target.address == uri


def test_an_ipv6_falkordb_address_keeps_its_brackets() -> None:
    target = parse_graph_url("falkordb://[::1]:6380/youth")
    assert (target.host, target.port, target.database) == ("::1", 6380, "youth")
    assert target.address == "falkordb://[::1]:6380"


def test_bolt_and_falkordb_default_ports() -> None:
    assert parse_graph_url("bolt://db").port == 7687
    falkor = parse_graph_url("falkordb://cache.internal/youth")
    assert (falkor.backend, falkor.port, falkor.database) == ("falkordb", 6379, "youth")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("localhost:7687", "has no scheme"),
        ("mysql://db:3306", "not supported"),
        ("neo4j://db:notaport", "bad port"),
        ("neo4j://:7687", "names no host"),
        ("falkordb://db:6379/a/b", "single graph or database name"),
    ],
)
def test_malformed_urls_say_what_is_accepted(url: str, says: str) -> None:
    with pytest.raises(GraphUrlError, match=says) as raised:
        parse_graph_url(url)
    assert "embedded" in str(raised.value) or "name" in str(raised.value)
