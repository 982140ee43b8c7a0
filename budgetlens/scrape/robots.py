"""robots.txt (RFC 9309): groups per user agent, Allow/Disallow with `*` and `$`, longest match wins.

A pure parser and matcher; the fetcher decides what an unreachable robots.txt means (RFC 9309:
4xx = no rules, 5xx or unreachable = disallow everything).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit


def _normalise(path: str) -> str:
    """Percent-decoded path, so `/files/%E5%B9%B4` and `/files/年` compare equal."""
    return unquote(path, errors="replace")


@dataclass(frozen=True)
class Rule:
    """One Allow/Disallow line."""

    allow: bool
    pattern: str

    def matches(self, path: str) -> bool:
        """True when the (percent-decoded) path starts with this rule's pattern."""
        return _compile(self.pattern).match(path) is not None


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str]:
    """A rule pattern as a regex: `*` any run of characters, a trailing `$` the end of the path."""
    pat = _normalise(pattern)
    anchored = pat.endswith("$")
    body = "".join(".*" if c == "*" else re.escape(c) for c in (pat[:-1] if anchored else pat))
    return re.compile(body + ("$" if anchored else ""), re.DOTALL)


@dataclass
class Group:
    """A group of rules for one or more user agents."""

    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    crawl_delay: float | None = None


@dataclass(frozen=True)
class RobotsRules:
    """Parsed robots.txt. `RobotsRules.allow_all()` / `disallow_all()` for missing / unreachable files."""

    groups: tuple[Group, ...] = ()
    everything_disallowed: bool = False

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls()

    @classmethod
    def disallow_all(cls) -> RobotsRules:
        return cls(everything_disallowed=True)

    def _groups_for(self, agent: str) -> list[Group]:
        token = agent.lower()
        specific = [g for g in self.groups if any(a.lower() == token for a in g.agents)]
        return specific or [g for g in self.groups if "*" in g.agents]

    def allows(self, url_or_path: str, agent: str) -> bool:
        """May `agent` fetch this URL or path? The longest matching rule wins; Allow wins a tie."""
        parts = urlsplit(url_or_path)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path == "/robots.txt":
            return True
        if self.everything_disallowed:
            return False
        path = _normalise(path)
        best: tuple[int, bool] | None = None
        for group in self._groups_for(agent):
            for rule in group.rules:
                if rule.pattern == "" or not rule.matches(path):
                    continue
                key = (len(_normalise(rule.pattern)), rule.allow)
                if best is None or key > best:
                    best = key
        return True if best is None else best[1]

    def crawl_delay(self, agent: str) -> float | None:
        """The Crawl-delay (non-standard, widely used) for `agent`, if any group states one."""
        delays = [g.crawl_delay for g in self._groups_for(agent) if g.crawl_delay is not None]
        return max(delays) if delays else None


def parse_robots(text: str) -> RobotsRules:
    """Parse robots.txt text. Unknown lines are ignored, as the RFC asks."""
    groups: list[Group] = []
    current: Group | None = None
    in_agents = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (s.strip() for s in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if current is None or not in_agents:
                current = Group()
                groups.append(current)
            current.agents.append(value)
            in_agents = True
        elif key in ("allow", "disallow") and current is not None:
            current.rules.append(Rule(allow=key == "allow", pattern=value))
            in_agents = False
        elif key == "crawl-delay" and current is not None:
            try:
                delay = float(value)
            except ValueError:
                continue
            if delay >= 0:
                current.crawl_delay = delay
            in_agents = False
    return RobotsRules(groups=tuple(groups))
