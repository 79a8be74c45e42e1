"""Documents pages, one module per area: the documents home (home.py); the draft strategy, one URL
for each thing done to it, and comparing versions (drafts.py); writing a section and its links
(sections.py); review windows and their comments (reviews.py); board papers and appendices
(papers.py); packs (packs.py).

Officers write and request; board members see and download their boards' packs; a members' pack
of another board is a 404. Views load objects through documents.access and call services; the
toolkit they share is core.http."""
