"""The Slack edge: parse Slack payloads, call Engine.answer, render Block Kit. See docs/slack.md."""
