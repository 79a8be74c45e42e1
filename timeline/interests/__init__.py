"""Board members' registers of interests (issue 14): entries by category, ended never deleted,
confirmed up to date every year, public on the board's pages, and declared at meetings from the
meeting page. Models in timeline/models.py; here the services, reads, matching, forms and access."""
