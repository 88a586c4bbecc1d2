"""Write a CODEOWNERS file: each data file of the latest edition is reviewed by its department's team.

GitHub asks the owners of a file to review every pull request that changes
it. The owner of an indicator is its responsible department, of a task its
lead unit, of a problem every department it is assigned to; the files shared
by the whole edition, and anything new, belong to the check-up team (the
`default` of the mapping). Department ids map to teams in a small YAML file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..read.load import edition_folders, read_edition
from ..read.yamlio import load_file

_OWNER = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^@\s]+@[^@\s]+")


class TeamMapError(Exception):
    """The department-to-team mapping cannot be used; the message says why."""


@dataclass(frozen=True)
class TeamMap:
    """Who reviews what: a default owner and one owner per department id."""

    default: str
    teams: dict[str, str]


@dataclass
class Owners:
    """The CODEOWNERS text, and the departments that had no team of their own."""

    text: str
    edition: str
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> owners
    unmapped: set[str] = field(default_factory=set)


def read_team_map(path: Path) -> TeamMap:
    """Read a department-teams YAML file: `default: "@org/team"` and `teams: {ID: "@org/team"}`."""
    doc = load_file(path, path.name)
    if not doc.ok:
        raise TeamMapError("；".join(f"{path.name}:{f.line or ''} {f.message}" for f in doc.findings))
    value: Any = doc.value
    if not isinstance(value, dict) or not isinstance(value.get("teams"), dict):
        raise TeamMapError(f"{path.name} 应包含 default（默认团队）和 teams（部门编号: 团队）两项。")
    owners = {"default": value.get("default"), **{str(k): v for k, v in value["teams"].items()}}
    bad = [f"{k}: {v}" for k, v in owners.items() if not (isinstance(v, str) and _OWNER.fullmatch(v))]
    if bad:
        raise TeamMapError(f"{path.name} 中这些团队的写法不对（应为 \"@组织/团队\"）：" + "；".join(bad))
    default = owners.pop("default")
    return TeamMap(default=str(default), teams={k: str(v) for k, v in owners.items()})


def build_codeowners(data_dir: Path, teams: TeamMap, shown: str = "data") -> Owners:
    """Assign every data file of the latest edition to the teams of its departments."""
    folders = edition_folders(data_dir)
    if not folders:
        raise TeamMapError(f"{data_dir} 中没有年度版本。")
    raw = read_edition(folders[-1])
    prefix = f"/{shown.strip('/')}/{raw.name}/"
    owners = Owners(text="", edition=raw.name)
    for rel in sorted(raw.kinds):
        departments = _departments(raw.kinds[rel], raw.documents[rel].value)
        mapped = tuple(dict.fromkeys(teams.teams[d] for d in departments if d in teams.teams))
        owners.unmapped |= {d for d in departments if d not in teams.teams}
        owners.files[prefix + rel] = mapped or (teams.default,)
    width = max(len(p) for p in owners.files) if owners.files else 0
    lines = [
        "# 由 checkup codeowners 生成，不要手工修改；部门与团队的对应关系见 department-teams.yaml。",
        f"# {raw.name} 年版本：指标归责任部门，任务归牵头单位，问题归全部责任部门；其余文件归体检工作组。",
        "# 后写的规则优先，所以先写默认规则。",
        f"/{shown.strip('/')}/ {teams.default}",
        "",
        *(f"{path.ljust(width)} {' '.join(who)}" for path, who in owners.files.items()),
    ]
    owners.text = "\n".join(lines) + "\n"
    return owners


def _departments(kind: str, value: Any) -> list[str]:
    if not isinstance(value, dict):
        return []
    if kind == "indicator":
        found = [value.get("department")]
    elif kind == "task":
        found = [value.get("lead")]
    elif kind == "chapter":
        found = [value.get("department")]
    elif kind == "problem":
        found = list(value.get("departments") or [])
    else:
        return []
    return [d for d in found if isinstance(d, str)]
