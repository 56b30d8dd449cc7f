"""Rebuild sample_data/bundle.zip deterministically (pure stdlib).

    python sample_data/make_bundle.py

The archive holds three more fictional articles under bundle/. Every entry gets a fixed
timestamp and fixed permissions, so rerunning this script produces a byte-identical zip.
"""

import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ZIP_PATH = os.path.join(HERE, "bundle.zip")
FIXED_TIME = (2024, 4, 3, 12, 0, 0)

FILES = [
    ("bundle/larchfield-lumenfield-closure.txt", """\
‘It deserves better’: Larchfield reels as Lumenfield shuts plant

By: |
March 12, 2024 7:02 PM

LARCHFIELD — Lumenfield Systems will close its assembly plant in Larchfield by the end of the year, the Greywater-based sensor maker said Tuesday, as part of a plan to cut about 400 jobs.

The Larchfield plant employs 340 people; the remaining cuts will fall on sales and administrative staff, the company said.

Outside the gates on Tuesday evening, workers coming off the late shift said they had found out from their phones. “My father worked here, and I thought my daughter might,” said line supervisor Beatriz Halloran. “Now I don’t know what to tell her.”

Workers leave the Lumenfield plant on Foundry Road, Larchfield, on Tuesday. (Photo: Ashcombe Valley Courier)

Kwame Adjei-Barros, regional secretary of the Eastland Federation of Metalworkers, said the union had learned of the closure “from a press release, like everyone else.”

“Larchfield gave this company its first factory and its first workers,” he said. “It deserves better than a three-paragraph statement.” The union plans to meet workers on Thursday.

Larchfield Mayor Teodora Vance said the town would ask the provincial government for help finding a new tenant for the site. The plant opened in 2009 and at its peak employed more than 600 people.

Chief Executive Amélie Durand-Ross said the decision was “painful but unavoidable” and that the company would focus on software and design work in Greywater. Durand-Ross said affected workers would receive severance and retraining support but did not give figures.

(Northwind Wire contributed to this report.)

Tags: Larchfield, jobs, Lumenfield Systems, manufacturing
Ashcombe Valley Courier · 3 Mill Lane, Ashcombe EL 5530 · Tel. (045) 555-0148
© 2024 Ashcombe Valley Courier. All rights reserved.
"""),
    ("bundle/thornbury-orchard-frost.txt", """\
Wednesday Apr 3, 2024
Wednesday Apr 3, 2024

Late frost wipes out blossom in Thornbury orchards

Margarethe Oduya, Eastland Observer
3 April 2024

THORNBURY — Two nights of hard frost at the start of April have destroyed most of the apple and pear blossom in Thornbury’s orchards, growers said on Wednesday, after an unusually warm March brought the trees into flower three weeks early.

Temperatures fell to minus 5 degrees Celsius in the low-lying orchards along the River Thorn on Monday night. Some growers lit paraffin burners and ran sprinklers to coat the buds in protective ice, but many small farms had no such equipment.

“You walk down the rows in the morning and every flower is brown in the middle,” said Philippa Oyeyemi-Marsh, whose family has grown apples near Thornbury since 1932. “That was this year’s harvest. It’s gone in forty-eight hours.”

The Thornbury Fruit Growers’ Association estimates that losses could reach 70 percent and has asked the provincial agriculture ministry for emergency support.

Meteorologists at the Eastland Weather Service said early warmth followed by sharp frost was becoming more common in the valley. “The trees are being tricked,” said forecaster Ilsabet Crowe.

Cider maker Hollins & Daughters said it would buy fruit from outside the valley this autumn for the first time in its 80-year history.

Get the Observer’s morning briefing in your inbox — sign up free.
"""),
    ("bundle/rivenford-chess-prodigy.txt", """\
Twelve-year-old from Rivenford becomes province’s youngest chess master

Amara Delacroix-Nwosu was twelve years and three months old when she shook hands with her final opponent at the Eastland Open on Sunday and became the youngest player from the province ever to earn the title of national master.

She finished the nine-round tournament in Rivenford with seven wins and two draws, including a win over the reigning provincial champion, Viktor Salazar-Holm, in a game that lasted more than five hours.

Her coach, Ferdinand Abiodun, said she had learned the game at seven from a set she found in a charity shop. “She asked me what the horse was for,” he said. “Five years later she is explaining things to me.”

Amara said she planned to celebrate with pizza and then go back to school on Monday. Asked about her next goal, she said: “A grandmaster title. And my maths homework.”
"""),
]


def build(path=ZIP_PATH):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in FILES:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, text.encode("utf-8"))
    return path


if __name__ == "__main__":
    print(build())
