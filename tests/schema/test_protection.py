from graphql import get_introspection_query, parse

from graphdb import Scope, Store
from schema import Caller, Context, schema
from schema.cost import measure, pages
from schema.protection import Limits


def codes(query: str, limits: Limits, variables: dict[str, object] | None = None) -> list[str]:
    return [
        str((e.extensions or {})["code"]) for e in measure(parse(query), variables or {}, limits)
    ]


def test_cost_multiplies_page_sizes_through_nested_connections() -> None:
    nested = "{ a(first: 100) { edges { node { b(first: 100) { edges { node { name } } } } } } }"
    assert codes(nested, Limits(max_cost=25_000)) == ["COST_LIMIT_EXCEEDED"]
    assert codes(nested.replace("b(first: 100)", "b(first: 2)"), Limits(max_cost=25_000)) == []


def test_page_sizes_are_read_from_variables_and_capped() -> None:
    query = "query ($n: Int) { a(first: $n) { edges { node { name } } } }"
    assert codes(query, Limits(max_cost=200), {"n": 50}) == []
    assert codes(query, Limits(max_cost=200), {"n": 100}) == ["COST_LIMIT_EXCEEDED"]
    assert codes(query, Limits(max_cost=10**6), {"n": 100_000}) == ["PAGE_TOO_LARGE"]


def test_pages_not_written_are_counted_as_the_schema_returns_them() -> None:
    """A variable's default, or no first at all, weighs what the resolver will return."""
    defaults = pages(schema._schema)
    assert defaults["members"] == 10
    assert defaults["neighborhood"] == 50
    limits = Limits(max_cost=100)

    def cost_codes(query: str) -> list[str]:
        return [
            str((e.extensions or {})["code"]) for e in measure(parse(query), {}, limits, defaults)
        ]

    page = "edges { node { key name status } }"
    assert cost_codes(f"query ($n: Int = 100) {{ members(first: $n) {{ {page} }} }}") == [
        "COST_LIMIT_EXCEEDED"
    ]
    assert cost_codes(f"{{ members(first: 100) {{ {page} }} }}") == ["COST_LIMIT_EXCEEDED"]
    assert cost_codes(f"{{ members {{ {page} }} }}") == []  # ten rows: 41
    many = " ".join(f"m{n}: members {{ {page} }}" for n in range(3))
    assert cost_codes(f"{{ {many} }}") == ["COST_LIMIT_EXCEEDED"]  # three times ten rows
    hood = '{ neighborhood(id: "x") { distance node { id } } }'  # 1 + 50 x 3
    assert codes(hood, Limits(max_cost=160)) == []  # without the schema's pages: 1 + 3
    assert [
        str((e.extensions or {})["code"])
        for e in measure(parse(hood), {}, Limits(max_cost=150), defaults)
    ] == ["COST_LIMIT_EXCEEDED"]


def test_depth_follows_fragments_and_survives_cycles() -> None:
    query = "{ a { ...F } } fragment F on A { b { c { ...F } } }"
    assert codes(query, Limits(max_depth=2)) == ["DEPTH_LIMIT_EXCEEDED"]
    assert codes(query, Limits(max_depth=10)) == []


def test_aliases_are_counted() -> None:
    query = "{ " + " ".join(f"x{n}: a {{ name }}" for n in range(5)) + " }"
    assert codes(query, Limits(max_aliases=4)) == ["ALIAS_LIMIT_EXCEEDED"]
    assert codes(query, Limits(max_aliases=5)) == []


async def test_a_repeated_query_is_measured_with_each_request_s_variables_and_limits(
    seeded: Store,
) -> None:
    """Parse, validation and limits are cached by query text; page sizes from variables
    and each deployment's limits still count on every request."""
    query = "query ($n: Int) { organizations(first: $n) { edges { node { name } } } }"
    fixed = "{ organizations(first: 60) { edges { node { name } } } }"

    async def refused(text: str, limits: Limits, **variables: object) -> list[str]:
        context = Context(store=seeded, caller=Caller.tool(Scope.everything()), limits=limits)
        result = await schema.execute(text, variable_values=variables, context_value=context)
        return [str((e.extensions or {}).get("code")) for e in result.errors or ()]

    strict = Limits(max_cost=50)
    assert await refused(query, strict, n=1_000) == ["PAGE_TOO_LARGE"]  # the first limit only
    assert await refused(query, strict, n=1_000) == ["PAGE_TOO_LARGE"]
    assert await refused(fixed, strict) == ["COST_LIMIT_EXCEEDED"]
    assert await refused(fixed, strict) == ["COST_LIMIT_EXCEEDED"]
    assert await refused(fixed, Limits(max_cost=500)) == []
    assert await refused(query, strict, n=5) == []


def fan_out(levels: int, field: str) -> str:
    fragments = " ".join(
        f"fragment L{i} on Query {{ {field} ...L{i - 1} ...L{i - 1} }}"
        for i in range(1, levels + 1)
    )
    return f"{{ ...L{levels} }} fragment L0 on Query {{ __typename }} {fragments}"


def test_each_fragment_is_measured_once_however_often_it_is_spread() -> None:
    """2**60 fields from a few kilobytes: measured in one pass over the fragments."""
    assert codes(fan_out(60, "__typename"), Limits(max_cost=10**30)) == []
    assert codes(fan_out(60, "__typename"), Limits()) == ["COST_LIMIT_EXCEEDED"]
    assert codes(fan_out(60, "a: __typename"), Limits(max_cost=10**30)) == ["ALIAS_LIMIT_EXCEEDED"]


def test_fragments_count_where_they_are_spread() -> None:
    query = (
        "{ a(first: 10) { ...F } b { ...F } } "
        "fragment F on A { c(first: 10) { edges { node { x: name } } } }"
    )
    # a: 1 + 10 * (1 + 10 * 3); b: 1 + 1 * (1 + 10 * 3); two aliases
    assert codes(query, Limits(max_cost=311 + 32)) == []
    assert codes(query, Limits(max_cost=311 + 31)) == ["COST_LIMIT_EXCEEDED"]
    assert codes(query, Limits(max_aliases=1)) == ["ALIAS_LIMIT_EXCEEDED"]
    assert codes(query, Limits(max_depth=5)) == []
    assert codes(query, Limits(max_depth=4)) == ["DEPTH_LIMIT_EXCEEDED"]


def test_fragments_nested_past_the_limit_are_refused() -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(150))
    query = f"{{ ...F0 }} {chain} fragment F150 on Query {{ __typename }}"
    assert codes(query, Limits()) == ["DEPTH_LIMIT_EXCEEDED"]


def test_introspection_is_not_held_to_the_depth_and_cost_of_data() -> None:
    query = get_introspection_query(descriptions=True, input_value_deprecation=True)
    assert codes(query, Limits(max_depth=2, max_cost=1)) == []
