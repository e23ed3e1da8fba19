#!/usr/bin/env python3
"""make demo's stand-in for Slack and PagerDuty: answers every POST (202 for /pagerduty, 200
otherwise) and appends {"path", "body"} as a JSON line to the log file.
Usage: demo-receiver.py PORT LOGFILE"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"raw": raw.decode("utf-8", "replace")}
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps({"path": self.path, "body": body}) + "\n")
        self.send_response(202 if self.path.startswith("/pagerduty") else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
