"""Syncthing, managed by the kit: the executable and a private home per workspace (home), its
REST API (rest) and running it as a child process (process). An adapter: no kit records here."""
