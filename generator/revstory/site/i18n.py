"""Every word revstory writes on the site, in English, French and Polish.

One catalog per locale, kept side by side in this module so a missing translation shows in
review; ``tests/site/test_i18n.py`` fails when a key is missing in a locale, when placeholders
differ between locales, or when a plural entry lacks one of the locale's plural forms.

A message is a ``str.format`` template, or — when it depends on a count — a dict keyed by
CLDR plural category (``one``, ``few``, ``many``, ``other``), chosen with Babel's plural rules
for the locale: Polish says "1 dzień, 2 dni, 5 dni", French "1 jour, 2 jours".
Numbers, money and dates are formatted by :mod:`revstory.site.fmt`, never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal

from revstory.quarter import Quarter, QuarterError

Message = str | dict[str, str]

EN: dict[str, Message] = {
    "story.lifecycle": "New business, renewals and expansion",
    "story.lifecycle_intro": "Marketing owns the whole lifecycle: won revenue per deal type, "
                             "and the part of it from deals whose buyers read our content.",
    "story.compare": "Content-touched deals against the others",
    "story.compare_intro": "Win rate (won ÷ closed) and median sales cycle of closed deals "
                           "whose buyers read our content against those that did not, with "
                           "90 % bootstrap intervals. This is an association, not proof of "
                           "cause: engaged buyers may simply be further along.",
    "cmp.all": "All content",
    "col.won_revenue": "Won revenue",
    "col.influenced_deals": "Won deals touched",
    "col.pipeline": "Influenced open pipeline",
    "col.scope": "Content",
    "col.touched_deals": "Touched closed deals",
    "col.other_deals": "Other closed deals",
    "col.win_touched": "Win rate, touched",
    "col.win_other": "Win rate, others",
    "col.interval90": "90 % interval",
    "col.cycle_touched": "Median cycle, touched (days)",
    "col.cycle_other": "Median cycle, others (days)",
    # Navigation and page titles
    "nav.home": "Home",
    "nav.quarters": "Quarters",
    "nav.content": "Content",
    "nav.all_content": "All content",
    "nav.methodology": "Methodology",
    "nav.data_quality": "Data quality",
    "title.home": "The story of marketing value — {quarter}",
    "title.quarter": "{quarter}",
    "title.content": "Content",
    "title.type": "Content type: {type}",
    "title.methodology": "Methodology",
    "title.data_quality": "Data quality",
    # Shared
    "table.none": "None.",
    "table.download": "Download this table as CSV",
    "link.original": "original page",
    "flag.thin": "thin",
    "delta.points": "{n} pts",
    "delta.days": "{n} d",
    "hidden.deals": {"one": "hidden: fewer than {n} deal", "other": "hidden: fewer than {n} deals"},
    # Headline figures
    "fig.won_revenue": "Won revenue",
    "fig.won_deals": "Won deals",
    "fig.touched_share": "Share of won revenue touched by content",
    "fig.attributed": "Content-attributed revenue ({model})",
    "fig.pipeline": "Influenced open pipeline",
    "fig.win_rate_touched": "Win rate, content-touched deals",
    "fig.win_rate_untouched": "Win rate, untouched deals",
    "fig.cycle_touched": "Median sales cycle, content-touched (days)",
    "fig.cycle_untouched": "Median sales cycle, untouched (days)",
    "story.figures": "Headline figures",
    "story.figure": "Figure",
    "story.value": "Value",
    "story.change": "Change",
    "story.change_vs": "Change vs {quarter}",
    "story.summary_csv": "Download the one-page summary of these figures (summary CSV)",
    "story.narrative": "The story",
    "story.editor": "From the editor",
    "story.anecdotes": "Deals content helped close",
    "story.no_anecdote": "No content-touched won deal this quarter.",
    "story.top": "Top content (by revenue under {model})",
    "story.not_working": "What is not working",
    "story.retreat_intro": {
        "one": "Pieces with traffic but no influenced revenue in each of the last {n} quarter: "
               "candidates to retire or rework.",
        "other": "Pieces with traffic but no influenced revenue in each of the last {n} "
                 "quarters: candidates to retire or rework.",
    },
    "story.retreat_short_history": {
        "one": "Not enough history yet: the retreat list needs {n} quarter of data.",
        "other": "Not enough history yet: the retreat list needs {n} quarters of data.",
    },
    "story.gems": "Hidden gems",
    "story.gems_intro": "Little-read pieces (views in the lower {share} of the quarter) that were "
                        "in the journey of won deals, ranked by influenced revenue per view. "
                        "The quarter’s average is {average} per view.",
    "story.economics": "Content economics",
    "story.economics_intro": "Pieces with a production cost: revenue influenced and attributed "
                             "to date per unit of cost, and the time from publication to the "
                             "first won deal the piece was part of.",
    "story.economics_none": "No piece has a production cost; add a cost column to "
                            "content.csv to see revenue per unit of cost.",
    "story.age": "Revenue by content age",
    "story.age_intro": "Revenue attributed this quarter ({model}), by how old the piece was "
                       "when the deal closed.",
    "story.models": "How the models compare",
    "story.models_intro": "Revenue attributed to each content type under every model. Every "
                          "model adds up to the same content-touched revenue; they differ in "
                          "which pieces get it. See the [methodology]({methodology}) and the "
                          "[data quality]({quality}) report.",
    "story.restored": "{quarter} is shown from its saved snapshot: its raw exports were "
                      "deleted, so its figures are as computed when it was last built.",
    "story.mismatch": "{quarter} was computed with other settings ({settings}); "
                      "its figures are not compared with other quarters.",
    "home.earlier": "Earlier quarters",
    "quarter.pieces": "Every piece this quarter",
    # Narrative
    "nar.won": "In {quarter} we won {won} across {deals}; {share} of it came from deals whose "
               "buyers read our content before signing.",
    "nar.deals": {"one": "{n} deal", "other": "{n} deals"},
    "nar.change": "Won revenue changed by {delta} from {previous}.",
    "nar.rates": "Deals touched by content won {wr_t} of the time, against {wr_u} for the "
                 "others.",
    "nar.cycle": "At the median, touched deals closed in {c_t}, untouched ones in {c_u}.",
    "nar.days": {"one": "{n} day", "other": "{n} days"},
    "nar.top": "The piece with the most credit under {model} is “{title}”: {amount} from "
               "{deals}.",
    "nar.won_deals": {"one": "{n} won deal", "other": "{n} won deals"},
    "nar.retreat": {
        "one": "{n} piece has drawn traffic but no revenue for {q}; see “What is not working”.",
        "other": "{n} pieces have drawn traffic but no revenue for {q}; see “What is not "
                 "working”.",
    },
    "nar.quarters": {"one": "{n} quarter", "other": "{n} quarters in a row"},
    "nar.gem": "The best hidden gem is “{title}”: {amount} of influenced revenue from only "
               "{views}.",
    "nar.views": {"one": "{n} view", "other": "{n} views"},
    # Anecdotes
    "anec.new": "signed a new {amount} deal on {date}",
    "anec.renewal": "renewed for {amount} on {date}",
    "anec.expansion": "expanded by {amount} on {date}",
    "anec.after": {"one": "{n} day after the first touch",
                   "other": "{n} days after the first touch"},
    "anec.readers": {"one": "{n} person read content on the way",
                     "other": "{n} people read content on the way"},
    "anec.step": "day {day}: reader {reader} read",
    "anec.summary": "{signed}, {after}; {readers}:",
    "quarter.name": "Q{q} {year}",
    "anec.more": {"one": "…and {n} more touch before signing.",
                  "other": "…and {n} more touches before signing."},
    "anec.segment": "A {segment} company",
    "anec.segment_industry": "A {segment} company in {industry}",
    "anec.unknown": "A customer",
    # Table headers
    "col.piece": "Piece",
    "col.type": "Type",
    "col.revenue_model": "Revenue ({model})",
    "col.won_deals": "Won deals",
    "col.influenced": "Influenced revenue",
    "col.views": "Views",
    "col.thin": "Thin evidence",
    "col.deals_touched": "Deals touched",
    "col.streak": "Quarters in a row without revenue",
    "col.streak_views": "Views in those quarters",
    "col.last_revenue": "Last quarter with revenue",
    "col.revenue_per_view": "Influenced revenue per view",
    "col.vs_average": "× quarter average",
    "col.cost": "Production cost",
    "col.influenced_per_cost": "Influenced revenue per unit of cost",
    "col.attributed_per_cost": "Attributed revenue per unit of cost",
    "col.published": "Published",
    "col.first_deal": "First won deal",
    "col.days_to_first": "Days from publication to first won deal",
    "col.age": "Age of the piece at close",
    "col.model": "Model",
    "col.quarter": "Quarter",
    "col.users": "Users",
    "col.seconds_per_view": "Seconds per view",
    "col.won_deals_touched": "Won deals touched",
    "col.total": "Total",
    "col.account": "Account",
    "col.deal_type": "Deal type",
    "col.closed": "Closed",
    "col.amount": "Amount",
    "col.share_of_deal": "Share of the deal",
    "col.position": "Position in the journey",
    "col.touches": "Touches",
    "col.share": "Share",
    "col.read_both": "Won deals reading both",
    "col.pieces": "Pieces",
    "col.pieces_active": "Pieces active",
    "col.file": "File",
    "col.table": "Table",
    "col.rows_read": "Rows read",
    "col.kept": "Kept",
    "col.merged": "Merged",
    "col.dropped": "Dropped",
    "col.outcome": "Outcome",
    "col.reason": "Reason",
    "col.rows": "Rows",
    "col.figure": "Figure",
    "col.value": "Value",
    "col.previous": "Previous quarter",
    "col.change": "Change",
    "col.unit": "Unit",
    "never": "never",
    # Values shown in cells
    "pos.first": "first", "pos.middle": "middle", "pos.last": "last",
    "ctype.article": "article", "ctype.ebook": "ebook", "ctype.video": "video",
    "ctype.webinar": "webinar", "ctype.case_study": "case study",
    "deal.new": "new", "deal.renewal": "renewal", "deal.expansion": "expansion",
    "age.0": "under 3 months", "age.1": "3–6 months", "age.2": "6–12 months",
    "age.3": "1–2 years", "age.4": "over 2 years", "age.unknown": "unknown",
    # Article page
    "art.published": "published {date}",
    "art.thin_title": "Thin evidence",
    "art.thin_body": "Fewer than {n} won deals back these figures; read them as anecdotes, not "
                     "trends.",
    "art.trend": "Trend across quarters",
    "art.engagement": "Engagement and revenue",
    "art.credit": "Credit under every model",
    "art.deals": "Deals influenced",
    "art.deals_intro": "Won deals whose buyers read this piece before signing; revenue credited "
                       "under {model}.",
    "art.positions": "Where it appears in journeys",
    "art.co_read": "Read with it",
    "art.retreat": "Candidate to retire or rework: traffic but no influenced revenue for {q}.",
    "art.certainty": "How sure is this figure?",
    "art.certainty_intro": "{quarter}: revenue credited under every model, with a 90 % interval "
                           "from resampling the quarter's won deals (bootstrap). A wide interval "
                           "means a few deals carry the figure.",
    "art.spread": "Across the models this piece earns between {low} and {high} in {quarter}.",
    "art.model_dependent": "Its rank depends on the model chosen: read the model comparison "
                           "before acting on it.",
    "art.compare": "Closed deals whose buyers read it were won {touched} of the time (90 %: "
                   "{touched_low}–{touched_high}), deals that did not {untouched} "
                   "({untouched_low}–{untouched_high}). This is an association, not proof of "
                   "cause.",
    "col.attributed": "Attributed revenue",
    "col.low90": "90 % low",
    "col.high90": "90 % high",
    "word.yes": "yes",
    "word.no": "no",
    "chart.views": "Views",
    "chart.won_touched": "Won revenue, content-touched deals",
    "chart.won_untouched": "Won revenue, other deals",
    "chart.win_touched": "Win rate, content-touched deals (%)",
    "chart.win_untouched": "Win rate, other deals (%)",
    "chart.revenue": "Revenue",
    "chart.influenced": "Influenced revenue",
    # Types
    "type.by_quarter": "By quarter",
    "type.every": "Every piece of this type",
    "types.types": "Content types",
    "types.every": "Every piece",
    # Methodology
    "meth.journeys": "Journeys",
    "meth.window_contact": "A touch belongs to a won deal when its reader is one of the deal's "
                           "contacts and it happened between {days} before the deal was "
                           "created and the close. Touches after the close never count. "
                           "A person known under several ids (CRM contact id, lead id, email) "
                           "is one reader when an export links them.",
    "meth.window_account": "A touch belongs to a won deal when its account is the deal's "
                           "account and it happened between {days} before the deal was "
                           "created and the close. Touches after the close never count.",
    "meth.quarters": "Quarters reported: {quarters}.",
    "meth.roles": "Roles in a journey, in time order: **FT** first touch; **LC** lead creation "
                  "(the first form fill or download); **OC** opportunity creation (the last "
                  "touch at or before the deal was created); **CW** the last touch before the "
                  "close.",
    "meth.models": "Models",
    "meth.rule": "Rule",
    "meth.headline": "(headline figures)",
    "meth.split": "A touch holding several roles gets the sum of their weights; a missing "
                  "role's weight goes to the roles present in proportion to their weights; the "
                  "middle share is split equally over the touches holding no role. Money is "
                  "split per deal in whole cents by largest remainder, so each model's credit "
                  "adds up exactly to the content-touched won revenue ({currency}); the rest is "
                  "shown as “no content touch”. The time-decay half-life is {half_life}.",
    "meth.evidence": "Influence and evidence",
    "meth.influence": "Influenced revenue counts every won deal whose journey holds a piece, in "
                      "full; it is not additive across pieces. Figures backed by fewer than "
                      "{min_deals} won deals are flagged as thin evidence.",
    "meth.redacted": "Account names are redacted: deals are described by their segment.",
    "meth.shown": "Account names are shown.",
    "meth.privacy": "Deal lists and anecdotes backed by fewer than {n} deals are hidden. No "
                    "person is ever named: readers are numbered per deal.",
    "meth.history": "History",
    "meth.history_body": "Each quarter's results are saved next to its data as a snapshot, so a "
                         "quarter stays on the site after its raw exports are deleted. A piece "
                         "is a candidate to retire or rework after {n} quarters in a row with "
                         "traffic and no influenced revenue.",
    "meth.restored": "Restored from snapshots: {quarters}.",
    "model.first_touch": "first touch", "model.last_touch": "last touch",
    "model.linear": "linear", "model.position_based": "position-based",
    "model.u_shaped": "U-shaped", "model.w_shaped": "W-shaped", "model.full_path": "full path",
    "model.j_shaped": "J-shaped", "model.inverse_j": "inverse J",
    "model.time_decay": "time decay", "model.markov": "Markov chain", "model.shapley": "Shapley",
    "rule.first_touch": "100 % to the first touch.",
    "rule.last_touch": "100 % to the last touch before the close.",
    "rule.linear": "Equal credit to every touch.",
    "rule.position_based": "40 % to the first touch, 40 % to the last, 20 % spread over the "
                           "touches between.",
    "rule.u_shaped": "40 % to the first touch, 40 % to lead creation, 20 % spread over the rest.",
    "rule.w_shaped": "30 % each to first touch, lead creation and opportunity creation, 10 % "
                     "over the rest.",
    "rule.full_path": "22.5 % each to first touch, lead creation, opportunity creation and the "
                      "last touch before the close, 10 % over the rest.",
    "rule.j_shaped": "20 % to the first touch, 60 % to the last, 20 % spread over the rest.",
    "rule.inverse_j": "60 % to the first touch, 20 % to the last, 20 % spread over the rest.",
    "rule.time_decay": "Each touch weighs 2^(−days before the close ÷ half-life), normalised "
                       "per deal. Half-life: {half_life}.",
    "rule.markov": "Order-1 Markov chain over content pieces, solved exactly: each won deal is "
                   "split over its pieces in proportion to their removal effects (how much less "
                   "often deals are won when the piece is taken out of every journey, lost "
                   "deals included).",
    "rule.shapley": "Exact Shapley values of content types from the win rates of the type "
                    "combinations journeys used; each won deal is split over its types by "
                    "Shapley value, then over a type's pieces by their number of touches.",
    # Data quality
    "dq.intro": "Every input row is accounted for: kept, merged (the same key in a later drop) "
                "or dropped with its reason.",
    "dq.files": "Files",
    "dq.reasons": "Rows merged or dropped",
    "dq.warnings": "Warnings",
    "dq.no_warnings": "No warnings.",
}

FR: dict[str, Message] = {
    "story.lifecycle": "Nouvelles affaires, renouvellements et extensions",
    "story.lifecycle_intro": "Le marketing porte tout le cycle de vie : chiffre d’affaires signé "
                             "par type d’affaire, et la part venant d’affaires dont les acheteurs "
                             "ont lu nos contenus.",
    "story.compare": "Affaires touchées par nos contenus face aux autres",
    "story.compare_intro": "Taux de succès (gagnées ÷ conclues) et durée médiane du cycle de "
                           "vente des affaires conclues dont les acheteurs ont lu nos contenus, "
                           "face aux autres, avec des intervalles bootstrap à 90 %. C’est une "
                           "association, pas une preuve de causalité : des acheteurs engagés "
                           "peuvent simplement être plus avancés.",
    "cmp.all": "Tous les contenus",
    "col.won_revenue": "CA signé",
    "col.influenced_deals": "Affaires gagnées touchées",
    "col.pipeline": "Pipeline ouvert influencé",
    "col.scope": "Contenus",
    "col.touched_deals": "Affaires conclues touchées",
    "col.other_deals": "Autres affaires conclues",
    "col.win_touched": "Taux de succès, touchées",
    "col.win_other": "Taux de succès, autres",
    "col.interval90": "Intervalle à 90 %",
    "col.cycle_touched": "Cycle médian, touchées (jours)",
    "col.cycle_other": "Cycle médian, autres (jours)",
    "nav.home": "Accueil",
    "nav.quarters": "Trimestres",
    "nav.content": "Contenus",
    "nav.all_content": "Tous les contenus",
    "nav.methodology": "Méthodologie",
    "nav.data_quality": "Qualité des données",
    "title.home": "La valeur du marketing — {quarter}",
    "title.quarter": "{quarter}",
    "title.content": "Contenus",
    "title.type": "Type de contenu : {type}",
    "title.methodology": "Méthodologie",
    "title.data_quality": "Qualité des données",
    "table.none": "Aucun.",
    "table.download": "Télécharger ce tableau en CSV",
    "link.original": "page d’origine",
    "flag.thin": "fragile",
    "delta.points": "{n} pts",
    "delta.days": "{n} j",
    "hidden.deals": {"one": "masqué : moins de {n} affaire",
                     "many": "masqué : moins de {n} d’affaires",
                     "other": "masqué : moins de {n} affaires"},
    "fig.won_revenue": "Chiffre d’affaires signé",
    "fig.won_deals": "Affaires gagnées",
    "fig.touched_share": "Part du chiffre signé touchée par nos contenus",
    "fig.attributed": "Chiffre attribué aux contenus ({model})",
    "fig.pipeline": "Pipeline ouvert influencé",
    "fig.win_rate_touched": "Taux de succès, affaires touchées par les contenus",
    "fig.win_rate_untouched": "Taux de succès, affaires non touchées",
    "fig.cycle_touched": "Cycle de vente médian, affaires touchées (jours)",
    "fig.cycle_untouched": "Cycle de vente médian, affaires non touchées (jours)",
    "story.figures": "Chiffres clés",
    "story.figure": "Indicateur",
    "story.value": "Valeur",
    "story.change": "Évolution",
    "story.change_vs": "Évolution par rapport au {quarter}",
    "story.summary_csv": "Télécharger la synthèse d’une page de ces chiffres (CSV)",
    "story.narrative": "Le récit du trimestre",
    "story.editor": "Le mot de la rédaction",
    "story.anecdotes": "Les affaires que nos contenus ont aidé à signer",
    "story.no_anecdote": "Aucune affaire gagnée touchée par nos contenus ce trimestre.",
    "story.top": "Contenus les plus performants (chiffre attribué selon le modèle {model})",
    "story.not_working": "Ce qui ne marche pas",
    "story.retreat_intro": {
        "one": "Contenus qui ont du trafic mais aucun chiffre influencé au cours du dernier "
               "trimestre : à retirer ou à retravailler.",
        "many": "Contenus qui ont du trafic mais aucun chiffre influencé depuis {n} de "
                "trimestres consécutifs : à retirer ou à retravailler.",
        "other": "Contenus qui ont du trafic mais aucun chiffre influencé depuis {n} "
                 "trimestres consécutifs : à retirer ou à retravailler.",
    },
    "story.retreat_short_history": {
        "one": "Historique encore insuffisant : cette liste demande {n} trimestre de données.",
        "many": "Historique encore insuffisant : cette liste demande {n} de trimestres de "
                "données.",
        "other": "Historique encore insuffisant : cette liste demande {n} trimestres de "
                 "données.",
    },
    "story.gems": "Pépites cachées",
    "story.gems_intro": "Contenus peu lus (vues dans les {share} les plus faibles du trimestre) "
                        "présents dans le parcours d’affaires gagnées, classés par chiffre "
                        "influencé par vue. La moyenne du trimestre est de {average} par vue.",
    "story.economics": "Rentabilité des contenus",
    "story.economics_intro": "Contenus dont le coût de production est connu : chiffre influencé "
                             "et attribué à ce jour par unité de coût, et délai entre la "
                             "publication et la première affaire gagnée où le contenu a compté.",
    "story.economics_none": "Aucun contenu n’a de coût de production ; ajoutez une colonne "
                            "cost à content.csv pour voir le chiffre par unité de coût.",
    "story.age": "Chiffre selon l’âge des contenus",
    "story.age_intro": "Chiffre attribué ce trimestre (modèle {model}), selon l’âge du contenu "
                       "à la signature de l’affaire.",
    "story.models": "Comparaison des modèles",
    "story.models_intro": "Chiffre attribué à chaque type de contenu selon chaque modèle. Tous "
                          "les modèles répartissent le même chiffre touché par les contenus ; "
                          "ils diffèrent sur les contenus qui en reçoivent le crédit. Voir la "
                          "[méthodologie]({methodology}) et le rapport de [qualité des "
                          "données]({quality}).",
    "story.restored": "Le {quarter} est présenté à partir de son instantané enregistré : ses "
                      "exports bruts ont été supprimés, ses chiffres sont donc ceux calculés "
                      "lors de sa dernière génération.",
    "story.mismatch": "Le {quarter} a été calculé avec d’autres paramètres ({settings}) ; ses "
                      "chiffres ne sont pas comparés à ceux des autres trimestres.",
    "home.earlier": "Trimestres précédents",
    "quarter.pieces": "Tous les contenus du trimestre",
    "nar.won": "Au {quarter}, nous avons signé {won} sur {deals} ; {share} de ce montant "
               "provient d’affaires dont les acheteurs avaient lu nos contenus avant de signer.",
    "nar.deals": {"one": "{n} affaire", "many": "{n} d’affaires", "other": "{n} affaires"},
    "nar.change": "Le chiffre signé a évolué de {delta} par rapport au {previous}.",
    "nar.rates": "Les affaires touchées par nos contenus ont été gagnées dans {wr_t} des cas, "
                 "contre {wr_u} pour les autres.",
    "nar.cycle": "En médiane, les affaires touchées se sont conclues en {c_t}, les autres en "
                 "{c_u}.",
    "nar.days": {"one": "{n} jour", "many": "{n} de jours", "other": "{n} jours"},
    "nar.top": "Le contenu le plus crédité selon le modèle {model} est « {title} » : {amount} "
               "sur {deals}.",
    "nar.won_deals": {"one": "{n} affaire gagnée", "many": "{n} d’affaires gagnées",
                      "other": "{n} affaires gagnées"},
    "nar.retreat": {
        "one": "{n} contenu a du trafic mais aucun chiffre influencé depuis {q} ; voir « Ce "
               "qui ne marche pas ».",
        "many": "{n} de contenus ont du trafic mais aucun chiffre influencé depuis {q} ; voir "
                "« Ce qui ne marche pas ».",
        "other": "{n} contenus ont du trafic mais aucun chiffre influencé depuis {q} ; voir "
                 "« Ce qui ne marche pas ».",
    },
    "nar.quarters": {"one": "{n} trimestre", "many": "{n} de trimestres consécutifs",
                     "other": "{n} trimestres consécutifs"},
    "nar.gem": "La plus belle pépite cachée est « {title} » : {amount} de chiffre influencé "
               "pour seulement {views}.",
    "nar.views": {"one": "{n} vue", "many": "{n} de vues", "other": "{n} vues"},
    "anec.new": "a signé une nouvelle affaire de {amount} le {date}",
    "anec.renewal": "a renouvelé son contrat pour {amount} le {date}",
    "anec.expansion": "a étendu son contrat de {amount} le {date}",
    "anec.after": {"one": "{n} jour après le premier contact",
                   "many": "{n} de jours après le premier contact",
                   "other": "{n} jours après le premier contact"},
    "anec.readers": {"one": "{n} personne a lu nos contenus en chemin",
                     "many": "{n} de personnes ont lu nos contenus en chemin",
                     "other": "{n} personnes ont lu nos contenus en chemin"},
    "anec.step": "jour {day} : le lecteur {reader} a lu",
    "anec.summary": "{signed}, {after} ; {readers} :",
    "quarter.name": "T{q} {year}",
    "anec.more": {"one": "… et encore {n} contact avant la signature.",
                  "many": "… et encore {n} de contacts avant la signature.",
                  "other": "… et encore {n} contacts avant la signature."},
    "anec.segment": "Une entreprise du segment {segment}",
    "anec.segment_industry": "Une entreprise du segment {segment}, secteur {industry}",
    "anec.unknown": "Un client",
    "col.piece": "Contenu",
    "col.type": "Type",
    "col.revenue_model": "Chiffre ({model})",
    "col.won_deals": "Affaires gagnées",
    "col.influenced": "Chiffre influencé",
    "col.views": "Vues",
    "col.thin": "Preuve fragile",
    "col.deals_touched": "Affaires touchées",
    "col.streak": "Trimestres consécutifs sans chiffre",
    "col.streak_views": "Vues sur ces trimestres",
    "col.last_revenue": "Dernier trimestre avec du chiffre",
    "col.revenue_per_view": "Chiffre influencé par vue",
    "col.vs_average": "× moyenne du trimestre",
    "col.cost": "Coût de production",
    "col.influenced_per_cost": "Chiffre influencé par unité de coût",
    "col.attributed_per_cost": "Chiffre attribué par unité de coût",
    "col.published": "Publication",
    "col.first_deal": "Première affaire gagnée",
    "col.days_to_first": "Jours entre publication et première affaire",
    "col.age": "Âge du contenu à la signature",
    "col.model": "Modèle",
    "col.quarter": "Trimestre",
    "col.users": "Utilisateurs",
    "col.seconds_per_view": "Secondes par vue",
    "col.won_deals_touched": "Affaires gagnées touchées",
    "col.total": "Total",
    "col.account": "Compte",
    "col.deal_type": "Type d’affaire",
    "col.closed": "Signée le",
    "col.amount": "Montant",
    "col.share_of_deal": "Part de l’affaire",
    "col.position": "Position dans le parcours",
    "col.touches": "Contacts",
    "col.share": "Part",
    "col.read_both": "Affaires gagnées ayant lu les deux",
    "col.pieces": "Contenus",
    "col.pieces_active": "Contenus actifs",
    "col.file": "Fichier",
    "col.table": "Table",
    "col.rows_read": "Lignes lues",
    "col.kept": "Conservées",
    "col.merged": "Fusionnées",
    "col.dropped": "Écartées",
    "col.outcome": "Résultat",
    "col.reason": "Motif",
    "col.rows": "Lignes",
    "col.figure": "Indicateur",
    "col.value": "Valeur",
    "col.previous": "Trimestre précédent",
    "col.change": "Évolution",
    "col.unit": "Unité",
    "never": "jamais",
    "pos.first": "premier", "pos.middle": "milieu", "pos.last": "dernier",
    "ctype.article": "article", "ctype.ebook": "livre blanc", "ctype.video": "vidéo",
    "ctype.webinar": "webinaire", "ctype.case_study": "étude de cas",
    "deal.new": "nouvelle affaire", "deal.renewal": "renouvellement", "deal.expansion": "extension",
    "age.0": "moins de 3 mois", "age.1": "3 à 6 mois", "age.2": "6 à 12 mois",
    "age.3": "1 à 2 ans", "age.4": "plus de 2 ans", "age.unknown": "inconnu",
    "art.published": "publié le {date}",
    "art.thin_title": "Preuve fragile",
    "art.thin_body": "Moins de {n} affaires gagnées étayent ces chiffres : lisez-les comme des "
                     "anecdotes, pas comme des tendances.",
    "art.trend": "Évolution d’un trimestre à l’autre",
    "art.engagement": "Audience et chiffre d’affaires",
    "art.credit": "Crédit selon chaque modèle",
    "art.deals": "Affaires influencées",
    "art.deals_intro": "Affaires gagnées dont les acheteurs ont lu ce contenu avant de signer ; "
                       "chiffre crédité selon le modèle {model}.",
    "art.positions": "Sa place dans les parcours",
    "art.co_read": "Lu avec",
    "art.retreat": "À retirer ou à retravailler : du trafic mais aucun chiffre influencé depuis "
                   "{q}.",
    "art.certainty": "Quelle confiance accorder à ce chiffre ?",
    "art.certainty_intro": "{quarter} : chiffre d’affaires attribué selon chaque modèle, avec un "
                           "intervalle à 90 % obtenu en rééchantillonnant les affaires gagnées du "
                           "trimestre (bootstrap). Un intervalle large signifie que quelques "
                           "affaires portent le chiffre.",
    "art.spread": "Selon les modèles, ce contenu rapporte entre {low} et {high} au {quarter}.",
    "art.model_dependent": "Son rang dépend du modèle choisi : consultez la comparaison des "
                           "modèles avant d’en tirer des conclusions.",
    "art.compare": "Les affaires conclues dont les acheteurs l’ont lu ont été gagnées dans "
                   "{touched} des cas (90 % : {touched_low}–{touched_high}), les autres dans "
                   "{untouched} ({untouched_low}–{untouched_high}). C’est une association, "
                   "pas une preuve de causalité.",
    "col.attributed": "Chiffre d’affaires attribué",
    "col.low90": "Borne basse 90 %",
    "col.high90": "Borne haute 90 %",
    "word.yes": "oui",
    "word.no": "non",
    "chart.views": "Vues",
    "chart.won_touched": "CA signé, affaires touchées par nos contenus",
    "chart.won_untouched": "CA signé, autres affaires",
    "chart.win_touched": "Taux de succès, affaires touchées (%)",
    "chart.win_untouched": "Taux de succès, autres affaires (%)",
    "chart.revenue": "Chiffre",
    "chart.influenced": "Chiffre influencé",
    "type.by_quarter": "Par trimestre",
    "type.every": "Tous les contenus de ce type",
    "types.types": "Types de contenu",
    "types.every": "Tous les contenus",
    "meth.journeys": "Parcours",
    "meth.window_contact": "Un contact avec un contenu compte pour une affaire gagnée lorsque "
                           "son lecteur fait partie des interlocuteurs de l’affaire et qu’il a "
                           "eu lieu entre {days} avant la création de l’affaire et sa "
                           "signature. Les contacts après la signature ne comptent jamais. "
                           "Une personne connue sous plusieurs identifiants (contact CRM, "
                           "lead, e-mail) est un seul lecteur dès qu’un export les relie.",
    "meth.window_account": "Un contact avec un contenu compte pour une affaire gagnée lorsque "
                           "son compte est celui de l’affaire et qu’il a eu lieu entre {days} "
                           "avant la création de l’affaire et sa signature. Les contacts "
                           "après la signature ne comptent jamais.",
    "meth.quarters": "Trimestres présentés : {quarters}.",
    "meth.roles": "Rôles dans un parcours, dans l’ordre chronologique : **FT** premier contact ; "
                  "**LC** création du lead (premier formulaire ou téléchargement) ; **OC** "
                  "création de l’opportunité (dernier contact avant ou à la création de "
                  "l’affaire) ; **CW** dernier contact avant la signature.",
    "meth.models": "Modèles",
    "meth.rule": "Règle",
    "meth.headline": "(chiffres clés)",
    "meth.split": "Un contact qui cumule plusieurs rôles reçoit la somme de leurs poids ; le "
                  "poids d’un rôle absent est réparti entre les rôles présents au prorata de "
                  "leurs poids ; la part du milieu est partagée à égalité entre les contacts "
                  "sans rôle. Le montant de chaque affaire est réparti au centime près par la "
                  "méthode du plus fort reste : le crédit de chaque modèle totalise exactement "
                  "le chiffre signé touché par les contenus ({currency}) ; le reste apparaît "
                  "comme « sans contact avec un contenu ». La demi-vie du modèle à décroissance "
                  "temporelle est de {half_life}.",
    "meth.evidence": "Influence et niveau de preuve",
    "meth.influence": "Le chiffre influencé compte en entier chaque affaire gagnée dont le "
                      "parcours contient le contenu ; il ne s’additionne pas d’un contenu à "
                      "l’autre. Les chiffres étayés par moins de {min_deals} affaires gagnées "
                      "sont signalés comme fragiles.",
    "meth.redacted": "Les noms de comptes sont masqués : les affaires sont décrites par leur "
                     "segment.",
    "meth.shown": "Les noms de comptes sont affichés.",
    "meth.privacy": "Les listes d’affaires et les anecdotes étayées par moins de {n} affaires "
                    "sont masquées. Personne n’est jamais nommé : les lecteurs sont numérotés "
                    "par affaire.",
    "meth.history": "Historique",
    "meth.history_body": "Les résultats de chaque trimestre sont enregistrés à côté de ses "
                         "données sous forme d’instantané : le trimestre reste sur le site "
                         "après la suppression de ses exports bruts. Un contenu devient "
                         "candidat au retrait ou à la refonte après {n} trimestres consécutifs "
                         "avec du trafic et sans chiffre influencé.",
    "meth.restored": "Restaurés depuis un instantané : {quarters}.",
    "model.first_touch": "premier contact", "model.last_touch": "dernier contact",
    "model.linear": "linéaire", "model.position_based": "basé sur la position",
    "model.u_shaped": "en U", "model.w_shaped": "en W", "model.full_path": "parcours complet",
    "model.j_shaped": "en J", "model.inverse_j": "en J inversé",
    "model.time_decay": "décroissance temporelle", "model.markov": "chaîne de Markov",
    "model.shapley": "Shapley",
    "rule.first_touch": "100 % au premier contact.",
    "rule.last_touch": "100 % au dernier contact avant la signature.",
    "rule.linear": "Le même crédit pour chaque contact.",
    "rule.position_based": "40 % au premier contact, 40 % au dernier, 20 % répartis entre les "
                           "contacts intermédiaires.",
    "rule.u_shaped": "40 % au premier contact, 40 % à la création du lead, 20 % répartis sur "
                     "le reste.",
    "rule.w_shaped": "30 % chacun au premier contact, à la création du lead et à la création de "
                     "l’opportunité, 10 % sur le reste.",
    "rule.full_path": "22,5 % chacun au premier contact, à la création du lead, à la création "
                      "de l’opportunité et au dernier contact avant la signature, 10 % sur le "
                      "reste.",
    "rule.j_shaped": "20 % au premier contact, 60 % au dernier, 20 % répartis sur le reste.",
    "rule.inverse_j": "60 % au premier contact, 20 % au dernier, 20 % répartis sur le reste.",
    "rule.time_decay": "Chaque contact pèse 2^(−jours avant la signature ÷ demi-vie), "
                       "normalisé par affaire. Demi-vie : {half_life}.",
    "rule.markov": "Chaîne de Markov d’ordre 1 sur les contenus, résolue exactement : chaque "
                   "affaire gagnée est répartie entre ses contenus au prorata de leur effet de "
                   "retrait (à quel point les affaires seraient moins souvent gagnées si le "
                   "contenu disparaissait de tous les parcours, affaires perdues comprises).",
    "rule.shapley": "Valeurs de Shapley exactes des types de contenu, à partir des taux de "
                    "succès des combinaisons de types rencontrées dans les parcours ; chaque "
                    "affaire gagnée est répartie entre ses types selon leur valeur de Shapley, "
                    "puis entre les contenus d’un type selon leur nombre de contacts.",
    "dq.intro": "Chaque ligne reçue est justifiée : conservée, fusionnée (même clé dans un "
                "export plus récent) ou écartée avec son motif.",
    "dq.files": "Fichiers",
    "dq.reasons": "Lignes fusionnées ou écartées",
    "dq.warnings": "Avertissements",
    "dq.no_warnings": "Aucun avertissement.",
}

PL: dict[str, Message] = {
    "story.lifecycle": "Nowy biznes, odnowienia i rozszerzenia",
    "story.lifecycle_intro": "Marketing odpowiada za cały cykl życia klienta: wygrany przychód "
                             "według typu transakcji i część z transakcji, których kupujący "
                             "czytali nasze treści.",
    "story.compare": "Transakcje z kontaktem z treściami a pozostałe",
    "story.compare_intro": "Skuteczność (wygrane ÷ zamknięte) i mediana cyklu sprzedaży "
                           "zamkniętych transakcji, których kupujący czytali nasze treści, w "
                           "porównaniu z pozostałymi, z 90-procentowymi przedziałami bootstrap. "
                           "To współwystępowanie, a nie dowód przyczyny: zaangażowani kupujący "
                           "mogą być po prostu dalej w procesie.",
    "cmp.all": "Wszystkie treści",
    "col.won_revenue": "Wygrany przychód",
    "col.influenced_deals": "Wygrane transakcje z kontaktem",
    "col.pipeline": "Otwarty lejek pod wpływem treści",
    "col.scope": "Treści",
    "col.touched_deals": "Zamknięte transakcje z kontaktem",
    "col.other_deals": "Pozostałe zamknięte transakcje",
    "col.win_touched": "Skuteczność, z kontaktem",
    "col.win_other": "Skuteczność, pozostałe",
    "col.interval90": "Przedział 90 %",
    "col.cycle_touched": "Mediana cyklu, z kontaktem (dni)",
    "col.cycle_other": "Mediana cyklu, pozostałe (dni)",
    "nav.home": "Strona główna",
    "nav.quarters": "Kwartały",
    "nav.content": "Treści",
    "nav.all_content": "Wszystkie treści",
    "nav.methodology": "Metodologia",
    "nav.data_quality": "Jakość danych",
    "title.home": "Wartość marketingu — {quarter}",
    "title.quarter": "{quarter}",
    "title.content": "Treści",
    "title.type": "Rodzaj treści: {type}",
    "title.methodology": "Metodologia",
    "title.data_quality": "Jakość danych",
    "table.none": "Brak.",
    "table.download": "Pobierz tabelę jako CSV",
    "link.original": "oryginalna strona",
    "flag.thin": "słabe",
    "delta.points": "{n} pp",
    "delta.days": "{n} dn.",
    "hidden.deals": {"one": "ukryte: mniej niż {n} transakcja",
                     "few": "ukryte: mniej niż {n} transakcje",
                     "many": "ukryte: mniej niż {n} transakcji",
                     "other": "ukryte: mniej niż {n} transakcji"},
    "fig.won_revenue": "Wygrany przychód",
    "fig.won_deals": "Wygrane transakcje",
    "fig.touched_share": "Udział wygranego przychodu z kontaktem z treściami",
    "fig.attributed": "Przychód przypisany treściom ({model})",
    "fig.pipeline": "Otwarty lejek z udziałem treści",
    "fig.win_rate_touched": "Skuteczność, transakcje z kontaktem z treściami",
    "fig.win_rate_untouched": "Skuteczność, transakcje bez kontaktu",
    "fig.cycle_touched": "Mediana cyklu sprzedaży, z kontaktem (dni)",
    "fig.cycle_untouched": "Mediana cyklu sprzedaży, bez kontaktu (dni)",
    "story.figures": "Najważniejsze liczby",
    "story.figure": "Wskaźnik",
    "story.value": "Wartość",
    "story.change": "Zmiana",
    "story.change_vs": "Zmiana względem {quarter}",
    "story.summary_csv": "Pobierz jednostronicowe podsumowanie tych liczb (CSV)",
    "story.narrative": "Opowieść kwartału",
    "story.editor": "Od redakcji",
    "story.anecdotes": "Transakcje, do których zamknięcia przyczyniły się nasze treści",
    "story.no_anecdote": "W tym kwartale nie wygraliśmy żadnej transakcji z kontaktem z "
                         "treściami.",
    "story.top": "Najlepsze treści (przychód według modelu „{model}”)",
    "story.not_working": "Co nie działa",
    "story.retreat_intro": {
        "one": "Treści z ruchem, ale bez przychodu z udziałem treści w ostatnim kwartale: do "
               "wycofania lub przerobienia.",
        "few": "Treści z ruchem, ale bez przychodu z udziałem treści przez {n} kolejne "
               "kwartały: do wycofania lub przerobienia.",
        "many": "Treści z ruchem, ale bez przychodu z udziałem treści przez {n} kolejnych "
                "kwartałów: do wycofania lub przerobienia.",
        "other": "Treści z ruchem, ale bez przychodu z udziałem treści przez {n} kolejnego "
                 "kwartału: do wycofania lub przerobienia.",
    },
    "story.retreat_short_history": {
        "one": "Za krótka historia: ta lista wymaga danych z {n} kwartału.",
        "few": "Za krótka historia: ta lista wymaga danych z {n} kwartałów.",
        "many": "Za krótka historia: ta lista wymaga danych z {n} kwartałów.",
        "other": "Za krótka historia: ta lista wymaga danych z {n} kwartału.",
    },
    "story.gems": "Ukryte perełki",
    "story.gems_intro": "Mało czytane treści (wyświetlenia w dolnych {share} kwartału), które "
                        "pojawiły się na ścieżce wygranych transakcji, uszeregowane według "
                        "przychodu na wyświetlenie. Średnia kwartału to {average} na "
                        "wyświetlenie.",
    "story.economics": "Ekonomia treści",
    "story.economics_intro": "Treści ze znanym kosztem produkcji: dotychczasowy przychód z "
                             "udziałem treści i przypisany na jednostkę kosztu oraz czas od "
                             "publikacji do pierwszej wygranej transakcji z jej udziałem.",
    "story.economics_none": "Żadna treść nie ma kosztu produkcji; dodaj kolumnę cost do "
                            "content.csv, aby zobaczyć przychód na jednostkę kosztu.",
    "story.age": "Przychód według wieku treści",
    "story.age_intro": "Przychód przypisany w tym kwartale (model {model}) według wieku treści "
                       "w chwili podpisania transakcji.",
    "story.models": "Porównanie modeli",
    "story.models_intro": "Przychód przypisany każdemu rodzajowi treści w każdym modelu. "
                          "Każdy model rozdziela ten sam przychód z kontaktem z treściami; "
                          "różnią się tym, które treści go otrzymują. Zobacz "
                          "[metodologię]({methodology}) i raport [jakości danych]({quality}).",
    "story.restored": "{quarter} pokazujemy z zapisanej migawki: jego surowe eksporty "
                      "zostały usunięte, więc liczby pochodzą z ostatniego przeliczenia.",
    "story.mismatch": "{quarter} policzono przy innych ustawieniach ({settings}); nie "
                      "porównujemy go z innymi kwartałami.",
    "home.earlier": "Wcześniejsze kwartały",
    "quarter.pieces": "Wszystkie treści w tym kwartale",
    "nar.won": "W {quarter} wygraliśmy {won} w {deals}; {share} tej kwoty pochodzi z "
               "transakcji, których kupujący czytali nasze treści przed podpisaniem.",
    "nar.deals": {"one": "{n} transakcji", "few": "{n} transakcjach",
                  "many": "{n} transakcjach", "other": "{n} transakcji"},
    "nar.change": "Wygrany przychód zmienił się o {delta} względem {previous}.",
    "nar.rates": "Transakcje z kontaktem z treściami wygrywaliśmy w {wr_t} przypadków, "
                 "pozostałe w {wr_u}.",
    "nar.cycle": "Mediana cyklu sprzedaży: {c_t} z treściami, {c_u} bez nich.",
    "nar.days": {"one": "{n} dzień", "few": "{n} dni", "many": "{n} dni", "other": "{n} dnia"},
    "nar.top": "Najwięcej zasługi według modelu „{model}” ma „{title}”: {amount} z {deals}.",
    "nar.won_deals": {"one": "{n} wygranej transakcji", "few": "{n} wygranych transakcji",
                      "many": "{n} wygranych transakcji", "other": "{n} wygranej transakcji"},
    "nar.retreat": {
        "one": "{n} treść ma ruch, ale bez przychodu od {q}; zobacz „Co nie działa”.",
        "few": "{n} treści mają ruch, ale bez przychodu od {q}; zobacz „Co nie działa”.",
        "many": "{n} treści ma ruch, ale bez przychodu od {q}; zobacz „Co nie działa”.",
        "other": "{n} treści ma ruch, ale bez przychodu od {q}; zobacz „Co nie działa”.",
    },
    "nar.quarters": {"one": "{n} kwartału", "few": "{n} kwartałów z rzędu",
                     "many": "{n} kwartałów z rzędu", "other": "{n} kwartału z rzędu"},
    "nar.gem": "Największa ukryta perełka to „{title}”: {amount} przychodu z udziałem treści "
               "przy zaledwie {views}.",
    "nar.views": {"one": "{n} wyświetleniu", "few": "{n} wyświetleniach",
                  "many": "{n} wyświetleniach", "other": "{n} wyświetlenia"},
    "anec.new": "podpisała nową umowę na {amount} dnia {date}",
    "anec.renewal": "odnowiła umowę na {amount} dnia {date}",
    "anec.expansion": "rozszerzyła umowę o {amount} dnia {date}",
    "anec.after": {"one": "{n} dzień po pierwszym kontakcie",
                   "few": "{n} dni po pierwszym kontakcie",
                   "many": "{n} dni po pierwszym kontakcie",
                   "other": "{n} dnia po pierwszym kontakcie"},
    "anec.readers": {"one": "po drodze {n} osoba czytała nasze treści",
                     "few": "po drodze {n} osoby czytały nasze treści",
                     "many": "po drodze {n} osób czytało nasze treści",
                     "other": "po drodze {n} osoby czytało nasze treści"},
    "anec.step": "dzień {day}: czytelnik {reader} przeczytał",
    "anec.summary": "{signed}, {after}; {readers}:",
    "quarter.name": "{roman} kw. {year}",
    "anec.more": {"one": "…i jeszcze {n} kontakt przed podpisaniem.",
                  "few": "…i jeszcze {n} kontakty przed podpisaniem.",
                  "many": "…i jeszcze {n} kontaktów przed podpisaniem.",
                  "other": "…i jeszcze {n} kontaktu przed podpisaniem."},
    "anec.segment": "Firma z segmentu {segment}",
    "anec.segment_industry": "Firma z segmentu {segment}, branża {industry},",
    "anec.unknown": "Klient",
    "col.piece": "Treść",
    "col.type": "Rodzaj",
    "col.revenue_model": "Przychód ({model})",
    "col.won_deals": "Wygrane transakcje",
    "col.influenced": "Przychód z udziałem treści",
    "col.views": "Wyświetlenia",
    "col.thin": "Słabe dowody",
    "col.deals_touched": "Transakcje z kontaktem",
    "col.streak": "Kwartały z rzędu bez przychodu",
    "col.streak_views": "Wyświetlenia w tych kwartałach",
    "col.last_revenue": "Ostatni kwartał z przychodem",
    "col.revenue_per_view": "Przychód na wyświetlenie",
    "col.vs_average": "× średnia kwartału",
    "col.cost": "Koszt produkcji",
    "col.influenced_per_cost": "Przychód z udziałem treści na jednostkę kosztu",
    "col.attributed_per_cost": "Przychód przypisany na jednostkę kosztu",
    "col.published": "Publikacja",
    "col.first_deal": "Pierwsza wygrana transakcja",
    "col.days_to_first": "Dni od publikacji do pierwszej transakcji",
    "col.age": "Wiek treści przy podpisaniu",
    "col.model": "Model",
    "col.quarter": "Kwartał",
    "col.users": "Użytkownicy",
    "col.seconds_per_view": "Sekundy na wyświetlenie",
    "col.won_deals_touched": "Wygrane transakcje z kontaktem",
    "col.total": "Razem",
    "col.account": "Klient",
    "col.deal_type": "Rodzaj transakcji",
    "col.closed": "Podpisana",
    "col.amount": "Kwota",
    "col.share_of_deal": "Udział w transakcji",
    "col.position": "Miejsce na ścieżce",
    "col.touches": "Kontakty",
    "col.share": "Udział",
    "col.read_both": "Wygrane transakcje, w których czytano obie",
    "col.pieces": "Treści",
    "col.pieces_active": "Aktywne treści",
    "col.file": "Plik",
    "col.table": "Tabela",
    "col.rows_read": "Wczytane wiersze",
    "col.kept": "Zachowane",
    "col.merged": "Scalone",
    "col.dropped": "Odrzucone",
    "col.outcome": "Wynik",
    "col.reason": "Powód",
    "col.rows": "Wiersze",
    "col.figure": "Wskaźnik",
    "col.value": "Wartość",
    "col.previous": "Poprzedni kwartał",
    "col.change": "Zmiana",
    "col.unit": "Jednostka",
    "never": "nigdy",
    "pos.first": "pierwszy", "pos.middle": "środek", "pos.last": "ostatni",
    "ctype.article": "artykuł", "ctype.ebook": "e-book", "ctype.video": "wideo",
    "ctype.webinar": "webinar", "ctype.case_study": "studium przypadku",
    "deal.new": "nowa", "deal.renewal": "odnowienie", "deal.expansion": "rozszerzenie",
    "age.0": "poniżej 3 miesięcy", "age.1": "3–6 miesięcy", "age.2": "6–12 miesięcy",
    "age.3": "1–2 lata", "age.4": "ponad 2 lata", "age.unknown": "nieznany",
    "art.published": "opublikowano {date}",
    "art.thin_title": "Słabe dowody",
    "art.thin_body": "Te liczby opierają się na mniej niż {n} wygranych transakcjach; traktuj "
                     "je jak anegdoty, nie trendy.",
    "art.trend": "Zmiany z kwartału na kwartał",
    "art.engagement": "Zaangażowanie i przychód",
    "art.credit": "Zasługa według każdego modelu",
    "art.deals": "Transakcje z udziałem tej treści",
    "art.deals_intro": "Wygrane transakcje, których kupujący przeczytali tę treść przed "
                       "podpisaniem; przychód przypisany według modelu „{model}”.",
    "art.positions": "Miejsce na ścieżkach zakupowych",
    "art.co_read": "Czytane razem z nią",
    "art.retreat": "Do wycofania lub przerobienia: ruch, ale brak przychodu od {q}.",
    "art.certainty": "Na ile pewna jest ta liczba?",
    "art.certainty_intro": "{quarter}: przychód przypisany według każdego modelu z 90-procentowym "
                           "przedziałem z ponownego losowania wygranych transakcji kwartału "
                           "(bootstrap). Szeroki przedział oznacza, że liczbę niesie kilka "
                           "transakcji.",
    "art.spread": "W zależności od modelu ten materiał przynosi od {low} do {high} w {quarter}.",
    "art.model_dependent": "Jego pozycja zależy od wybranego modelu: przed decyzją sprawdź "
                           "porównanie modeli.",
    "art.compare": "Zamknięte transakcje, których kupujący go czytali, były wygrywane w "
                   "{touched} przypadków (90 %: {touched_low}–{touched_high}), pozostałe w "
                   "{untouched} ({untouched_low}–{untouched_high}). To współwystępowanie, a nie "
                   "dowód przyczyny.",
    "col.attributed": "Przychód przypisany",
    "col.low90": "Dolna granica 90 %",
    "col.high90": "Górna granica 90 %",
    "word.yes": "tak",
    "word.no": "nie",
    "chart.views": "Wyświetlenia",
    "chart.won_touched": "Wygrany przychód, transakcje z kontaktem z treściami",
    "chart.won_untouched": "Wygrany przychód, pozostałe transakcje",
    "chart.win_touched": "Skuteczność, transakcje z kontaktem (%)",
    "chart.win_untouched": "Skuteczność, pozostałe transakcje (%)",
    "chart.revenue": "Przychód",
    "chart.influenced": "Przychód z udziałem treści",
    "type.by_quarter": "Według kwartału",
    "type.every": "Wszystkie treści tego rodzaju",
    "types.types": "Rodzaje treści",
    "types.every": "Wszystkie treści",
    "meth.journeys": "Ścieżki zakupowe",
    "meth.window_contact": "Kontakt z treścią liczy się dla wygranej transakcji, gdy "
                           "czytelnik jest jedną z osób kontaktowych transakcji, a kontakt "
                           "nastąpił nie wcześniej niż {days} przed utworzeniem transakcji i nie "
                           "później niż w dniu jej podpisania. Kontakty po podpisaniu nigdy "
                           "się nie liczą. Osoba znana pod kilkoma identyfikatorami (kontakt "
                           "w CRM, lead, e-mail) jest jednym czytelnikiem, gdy eksport je łączy.",
    "meth.window_account": "Kontakt z treścią liczy się dla wygranej transakcji, gdy "
                           "pochodzi z firmy klienta transakcji i nastąpił nie wcześniej niż "
                           "{days} przed utworzeniem transakcji i nie później niż w dniu jej "
                           "podpisania. Kontakty po "
                           "podpisaniu nigdy się nie liczą.",
    "meth.quarters": "Prezentowane kwartały: {quarters}.",
    "meth.roles": "Role na ścieżce, w kolejności czasu: **FT** pierwszy kontakt; **LC** "
                  "pozyskanie leada (pierwszy formularz lub pobranie); **OC** utworzenie szansy "
                  "sprzedaży (ostatni kontakt przed utworzeniem transakcji lub w tym dniu); "
                  "**CW** ostatni kontakt przed podpisaniem.",
    "meth.models": "Modele",
    "meth.rule": "Reguła",
    "meth.headline": "(najważniejsze liczby)",
    "meth.split": "Kontakt pełniący kilka ról dostaje sumę ich wag; waga brakującej roli "
                  "przechodzi na obecne role proporcjonalnie do ich wag; część środkowa dzieli "
                  "się po równo między kontakty bez roli. Kwota każdej transakcji dzielona jest "
                  "co do grosza metodą największych reszt, więc zasługa w każdym modelu sumuje "
                  "się dokładnie do wygranego przychodu z kontaktem z treściami ({currency}); "
                  "reszta jest pokazana jako „bez kontaktu z treścią”. Okres połowicznego "
                  "zaniku w modelu zaniku w czasie wynosi {half_life}.",
    "meth.evidence": "Wpływ i siła dowodów",
    "meth.influence": "Przychód z udziałem treści liczy w całości każdą wygraną transakcję, "
                      "której ścieżka zawiera daną treść; nie sumuje się między treściami. "
                      "Liczby oparte na mniej niż {min_deals} wygranych transakcjach są "
                      "oznaczone jako słabe dowody.",
    "meth.redacted": "Nazwy klientów są ukryte: transakcje opisujemy ich segmentem.",
    "meth.shown": "Nazwy klientów są widoczne.",
    "meth.privacy": "Listy transakcji i anegdoty oparte na mniej niż {n} transakcjach są "
                    "ukryte. Nikogo nie wymieniamy z nazwiska: czytelników numerujemy w obrębie "
                    "transakcji.",
    "meth.history": "Historia",
    "meth.history_body": "Wyniki każdego kwartału zapisujemy obok jego danych jako migawkę, "
                         "więc kwartał zostaje na stronie po usunięciu surowych eksportów. "
                         "Treść staje się kandydatem do wycofania lub przerobienia po {n} "
                         "kwartałach z rzędu z ruchem i bez przychodu z jej udziałem.",
    "meth.restored": "Odtworzone z migawek: {quarters}.",
    "model.first_touch": "pierwszy kontakt", "model.last_touch": "ostatni kontakt",
    "model.linear": "liniowy", "model.position_based": "oparty na pozycji",
    "model.u_shaped": "w kształcie U", "model.w_shaped": "w kształcie W",
    "model.full_path": "pełna ścieżka", "model.j_shaped": "w kształcie J",
    "model.inverse_j": "odwrócone J", "model.time_decay": "zanik w czasie",
    "model.markov": "łańcuch Markowa", "model.shapley": "Shapley",
    "rule.first_touch": "100% dla pierwszego kontaktu.",
    "rule.last_touch": "100% dla ostatniego kontaktu przed podpisaniem.",
    "rule.linear": "Równa zasługa dla każdego kontaktu.",
    "rule.position_based": "40% dla pierwszego kontaktu, 40% dla ostatniego, 20% rozdzielone "
                           "między kontakty pośrednie.",
    "rule.u_shaped": "40% dla pierwszego kontaktu, 40% dla pozyskania leada, 20% dla "
                     "pozostałych.",
    "rule.w_shaped": "Po 30% dla pierwszego kontaktu, pozyskania leada i utworzenia szansy "
                     "sprzedaży, 10% dla pozostałych.",
    "rule.full_path": "Po 22,5% dla pierwszego kontaktu, pozyskania leada, utworzenia szansy "
                      "sprzedaży i ostatniego kontaktu przed podpisaniem, 10% dla pozostałych.",
    "rule.j_shaped": "20% dla pierwszego kontaktu, 60% dla ostatniego, 20% dla pozostałych.",
    "rule.inverse_j": "60% dla pierwszego kontaktu, 20% dla ostatniego, 20% dla pozostałych.",
    "rule.time_decay": "Każdy kontakt waży 2^(−dni przed podpisaniem ÷ okres połowicznego "
                       "zaniku), znormalizowane w obrębie transakcji. Okres połowicznego "
                       "zaniku: {half_life}.",
    "rule.markov": "Łańcuch Markowa pierwszego rzędu na treściach, rozwiązany dokładnie: każda "
                   "wygrana transakcja dzielona jest między jej treści proporcjonalnie do "
                   "efektu usunięcia (o ile rzadziej wygrywalibyśmy, gdyby treść zniknęła ze "
                   "wszystkich ścieżek, z przegranymi włącznie).",
    "rule.shapley": "Dokładne wartości Shapleya rodzajów treści, wyliczone ze skuteczności "
                    "kombinacji rodzajów występujących na ścieżkach; każda wygrana transakcja "
                    "dzielona jest między rodzaje według wartości Shapleya, a potem między "
                    "treści danego rodzaju według liczby kontaktów.",
    "dq.intro": "Każdy wiersz wejściowy jest rozliczony: zachowany, scalony (ten sam klucz w "
                "późniejszym eksporcie) lub odrzucony z podaniem powodu.",
    "dq.files": "Pliki",
    "dq.reasons": "Wiersze scalone lub odrzucone",
    "dq.warnings": "Ostrzeżenia",
    "dq.no_warnings": "Brak ostrzeżeń.",
}

CATALOGS: dict[str, dict[str, Message]] = {"en": EN, "fr": FR, "pl": PL}


@lru_cache(maxsize=8)
def _plural_rule(locale: str):  # type: ignore[no-untyped-def]
    return Locale.parse(locale).plural_form


def plural_tags(locale: str) -> frozenset[str]:
    """The CLDR plural categories the locale uses (always with ``other``)."""
    return frozenset(_plural_rule(locale).tags) | {"other"}


@dataclass(frozen=True)
class Translator:
    """Messages of one locale: ``t("key", x=1)``; ``t.n("key", 3)`` picks the plural form."""

    locale: str

    def __call__(self, key: str, **values: object) -> str:
        msg = CATALOGS[self.locale][key]
        if isinstance(msg, dict):
            raise KeyError(f"{key} is a plural message; use Translator.n")
        return msg.format(**values) if values else msg

    def n(self, key: str, count: int | float, **values: object) -> str:
        """The plural form of ``key`` for ``count``; ``{n}`` is the count, locale-formatted."""
        msg = CATALOGS[self.locale][key]
        if not isinstance(msg, dict):
            return msg.format(n=self.number(count), **values)
        form = _plural_rule(self.locale)(abs(count))
        text = msg.get(form, msg["other"])
        return text.format(n=self.number(count), **values)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def maybe(self, key: str, fallback: str) -> str:
        """The message for ``key`` if the catalog has one (e.g. known content types)."""
        msg = CATALOGS[self.locale].get(key)
        return msg if isinstance(msg, str) else fallback

    def model(self, name: str) -> str:
        return self.maybe(f"model.{name}", name)

    def quarter(self, quarter: str) -> str:
        """``2026-Q3`` as readers write it: Q3 2026, T3 2026, III kw. 2026."""
        try:
            q = Quarter.parse(quarter)
        except QuarterError:
            return quarter
        return self("quarter.name", year=str(q.year), q=str(q.number),
                    roman=("I", "II", "III", "IV")[q.number - 1])


def translator(locale: str) -> Translator:
    return Translator(locale)
