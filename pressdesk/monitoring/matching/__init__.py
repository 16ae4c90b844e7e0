"""Helpers of `pressdesk monitor match`: the query file and the local inputs it reads."""
