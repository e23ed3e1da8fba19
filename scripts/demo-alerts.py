#!/usr/bin/env python3
"""Prints an OpenSearch _search answer over Vigil alerts as a table a responder reads:
what, how bad, where (observer), and who (node → job → user, process)."""
import json
import sys

def _get(d, path):
    for p in path:
        if not isinstance(d, dict):
            return None
        # ECS fields may be nested objects or dotted keys
        if p in d:
            d = d[p]
        else:
            rest = ".".join(path[path.index(p):])
            return d.get(rest)
    return d


hits = json.load(sys.stdin).get("hits", {}).get("hits", [])
if not hits:
    print("   no alerts yet")
sev = {1: "info", 21: "low", 47: "medium", 73: "high", 99: "critical"}
for h in hits:
    a = h["_source"]
    get = lambda *path: _get(a, path)
    print(
        "   %-9s %-28s %s:%s -> %s:%s"
        % (
            sev.get(get("event", "severity"), get("event", "severity")),
            get("rule", "name"),
            get("source", "ip") or "-",
            get("source", "port") or "-",
            get("destination", "ip") or "-",
            get("destination", "port") or "-",
        )
    )
    who = []
    if get("observer", "name"):
        where = get("observer", "name")
        link = get("observer", "ingress", "interface", "name")
        who.append("seen by " + where + (" on " + link if link else ""))
    if get("host", "name"):
        who.append("node " + get("host", "name"))
    if get("orchestrator", "job", "id"):
        who.append("job " + str(get("orchestrator", "job", "id")))
    if get("user", "name"):
        who.append("user " + get("user", "name"))
    if get("process", "executable"):
        who.append("exe " + get("process", "executable"))
    ind = get("threat", "indicator", "value") or get("tls", "client", "ja3")
    if ind:
        who.append("indicator " + str(ind))
    print("             " + ", ".join(who))
    if a.get("message"):
        print("             " + a["message"])

