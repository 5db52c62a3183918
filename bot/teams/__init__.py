"""The Microsoft Teams channel (Microsoft 365 Agents SDK)."""
