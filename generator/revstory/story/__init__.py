"""Story stage: result frames → typed, documented, frozen records of what the quarter says.

Pure functions, no words and no formats (those are the site's): headline figures and trends
(``figures``), what each piece did, the retreat list, hidden gems, economics, content age and
the model comparison (``pieces``), anecdotes of won deals (``anecdotes``), all gathered per
quarter by :func:`~revstory.story.tell.tell` into a :class:`~revstory.story.tell.Story` of
:mod:`~revstory.story.records`. ``index`` reshapes the frames once for all of them.
"""
