"""Trade unions and women's federations organised in enterprises (群团组织)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import federation_org as cypher
from schema.context import Context
from schema.enterprise import Enterprise
from schema.node import GraphNode


@strawberry.type(description="A trade union or women's federation organised in an enterprise.")
class FederationOrg(GraphNode):
    label = model.FEDERATION_ORG
    by_ids = cypher.BY_IDS
    kind: str = strawberry.field(description="trade_union or womens_federation")
    name: str
    founded_on: dt.date | None
    uscc: strawberry.Private[str]

    @strawberry.field
    async def enterprise(self, info: Info[Context, None]) -> Enterprise | None:
        return await Enterprise.load(info, self.uscc)
