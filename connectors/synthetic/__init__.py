"""The synthetic source: a deterministic province for the demo, the tests and the benchmarks."""

from connectors.synthetic.generator import AS_OF, SyntheticProvince
from connectors.synthetic.load import SeedProgress, Stream, seed, streams
from connectors.synthetic.scales import SCALES, Scale

__all__ = [
    "AS_OF",
    "SCALES",
    "Scale",
    "SeedProgress",
    "Stream",
    "SyntheticProvince",
    "seed",
    "streams",
]
