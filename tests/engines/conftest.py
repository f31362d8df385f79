"""One local SparkSession for the whole test session (2 threads, 2 shuffle partitions), and
the equivalence drops: hand-made edge cases written into a temporary folder.

Without PySpark or Java the Spark tests are skipped, except when REVSTORY_REQUIRE_SPARK=1
(scripts/test.sh sets it, so CI fails instead of skipping).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from revstory.engines.session import SESSION_CONF, java_available

# PySpark 4.3 warns about pandas 3 on every conversion (the tests below prove the results).
warnings.filterwarnings("ignore", module=r"pyspark\..*")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    required = os.environ.get("REVSTORY_REQUIRE_SPARK") == "1"
    try:
        warnings.filterwarnings("ignore", module=r"pyspark\..*")
        from pyspark.sql import SparkSession
    except ImportError:
        if required:
            raise
        pytest.skip("PySpark is not installed (pip install -e '.[spark]')")
    if not java_available():
        if required:
            pytest.fail("no Java runtime for Spark (apt-get install openjdk-17-jre-headless)")
        pytest.skip("no Java runtime for Spark")
    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("revstory-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in SESSION_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


_CONTENT = """content_id,url,title,content_type,published_at
a,https://www.example.com/blog/a/,Piece A,article,2025-01-10
b,https://www.example.com/blog/b/,Piece B,article,2025-02-10
c,https://www.example.com/res/c/,Piece C,ebook,2025-03-10
d,https://www.example.com/res/d/,Piece D,webinar,2025-03-20
e,https://www.example.com/vid/e/,Piece E,video,2025-04-01
"""
# E1 closes on a date (the whole day counts); E2 at a time (a touch at that instant does not);
# E2 was created 2026-07-01 12:00, so with a 365-day lookback 2025-07-01 12:00:00 is the first
# instant that counts; E3 has ties in time; E7's 100.00 splits in thirds (a cent to place);
# E4 is lost, E5 open, E6 won without touches. Three currencies.
_DEALS = """deal_id,account_id,name,amount,currency,created_at,closed_at,status,deal_type,segment
E1,ACC1,Acme,12000,EUR,2026-07-10T09:00:00Z,2026-08-15,won,new,Enterprise
E2,ACC2,Globex,3333.33,USD,2026-07-01T12:00:00Z,2026-09-10T15:00:00Z,won,renewal,SMB
E3,ACC3,Initech,1000.01,GBP,2026-07-05T08:00:00Z,2026-08-01T08:00:00Z,won,expansion,SMB
E4,ACC1,Acme,5000,EUR,2026-07-02T09:00:00Z,2026-08-20,lost,new,Enterprise
E5,ACC4,Umbrella,8000,USD,2026-08-01T09:00:00Z,,open,expansion,Mid-market
E6,ACC5,Hooli,700,EUR,2026-07-01T09:00:00Z,2026-07-30,won,new,SMB
E7,ACC6,Vandelay,100,EUR,2026-07-03T09:00:00Z,2026-09-03,won,new,SMB
"""
# Job titles (bucketed at load, never staged) on some readers, none on others: the journey
# detail's seniority column is compared with values and NULLs on both engines.
_CONTACTS = """deal_id,person_id,role,is_primary,title
E1,ann@acme.example,Champion,true,Chief Financial Officer
E2,bo@globex.example,Evaluator,true,
E3,cy@initech.example,Champion,true,VP Marketing
E3,di@initech.example,Evaluator,false,Head of IT
E4,ann@acme.example,Champion,true,Chief Financial Officer
E5,ed@umbrella.example,Champion,true,Directeur commercial
E6,fay@hooli.example,Champion,true,
E7,gus@vandelay.example,Champion,true,Kierownik sprzedaży
"""
_TOUCHES = """occurred_at,person_id,account_id,content_id,touch_type,channel
2026-06-01T10:00:00Z,ann@acme.example,ACC1,a,view,organic_search
2026-07-10T09:00:00Z,ann@acme.example,ACC1,c,download,email
2026-08-15T00:00:00Z,ann@acme.example,ACC1,b,view,email
2026-08-15T23:59:59Z,ann@acme.example,ACC1,d,webinar_attended,email
2026-08-16T00:00:00Z,ann@acme.example,ACC1,e,view,email
2026-07-20T10:00:00Z,zed@acme.example,ACC1,e,view,social
2025-07-01T11:59:59Z,bo@globex.example,ACC2,a,view,paid_search
2025-07-01T12:00:00Z,bo@globex.example,ACC2,b,view,paid_search
2026-09-10T14:59:59Z,bo@globex.example,ACC2,c,form_submit,email
2026-09-10T15:00:00Z,bo@globex.example,ACC2,d,view,email
2026-07-20T08:00:00Z,cy@initech.example,ACC3,a,view,email
2026-07-20T08:00:00Z,cy@initech.example,ACC3,b,view,email
2026-07-20T08:00:00Z,di@initech.example,ACC3,a,view,email
2026-07-20T08:00:00Z,di@initech.example,ACC3,c,download,email
2026-07-25T08:00:00Z,cy@initech.example,ACC3,e,video_view,social
2026-07-25T08:00:00Z,di@initech.example,ACC3,e,video_view,social
2026-07-15T10:00:00Z,ed@umbrella.example,ACC4,a,view,organic_search
2026-08-02T10:00:00Z,ed@umbrella.example,ACC4,d,webinar_attended,email
2026-07-10T10:00:00Z,gus@vandelay.example,ACC6,a,view,email
2026-07-11T10:00:00Z,gus@vandelay.example,ACC6,b,view,email
2026-07-12T10:00:00Z,gus@vandelay.example,ACC6,c,view,email
"""
_FX = """currency,date,rate
USD,2026-07-01,0.9
GBP,2026-07-01,1.17
"""


@pytest.fixture(scope="session")
def edge_drop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("edges") / "content"
    q = root / "2026-Q3"
    q.mkdir(parents=True)
    for name, text in (
        ("content", _CONTENT),
        ("deals", _DEALS),
        ("deal_contacts", _CONTACTS),
        ("touches", _TOUCHES),
        ("fx_rates", _FX),
    ):
        (q / f"{name}.csv").write_text(text, encoding="utf-8")
    return root
