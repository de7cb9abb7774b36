"""The department's commands over the supervision records: `beian dispatch` and `beian cards`."""
