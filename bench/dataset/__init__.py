"""The benchmark dataset: national-scale rows written with bulk inserts, in dependency order."""

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Sizes:
    """How many rows of the four big tables to generate; everything else follows from them."""

    enterprises: int = 20_000
    applications: int = 100_000
    audit_rows: int = 1_000_000
    lab_results: int = 200_000

    def scaled(self, factor: float) -> "Sizes":
        """Every size multiplied by `factor` (at least one enterprise and one application)."""
        values = {f.name: max(1, round(getattr(self, f.name) * factor)) for f in fields(self)}
        return replace(self, **values)

    def as_dict(self) -> dict[str, int]:
        """The sizes by name, for results.json and the dataset's marker."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
