"""Generate the project's own sample documents (CC0): a French PDF handout, a French PPTX deck
and an English DOCX handout.

Run from the repository root::

    .venv/bin/python samples/make_samples.py            # writes into samples/
    .venv/bin/python samples/make_samples.py --out DIR  # writes into DIR

The content is original text written for inclusio and dedicated to the public domain (CC0).
Output is deterministic: fixed metadata and dates, no random data, so a rerun gives the same
text content (tests compare extracted text, not bytes). See samples/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_DATE = dt.datetime(2024, 9, 2, 8, 0, 0, tzinfo=dt.UTC)
PDF_DATE = "D:20240902080000Z"
AUTHOR = "Projet inclusio"

# -- pictures (Pillow) -----------------------------------------------------------------------------


def bar_chart_png(values: list[tuple[str, float]], color: tuple[int, int, int], size=(640, 360)) -> bytes:
    """A simple bar chart as PNG bytes (no text baked in except short axis labels)."""
    from PIL import Image, ImageDraw

    width, height = size
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    left, bottom, top = 60, height - 50, 30
    draw.line([(left, top), (left, bottom), (width - 20, bottom)], fill="black", width=2)
    top_value = max(v for _, v in values)
    slot = (width - left - 40) / len(values)
    for i, (label, value) in enumerate(values):
        x0 = left + 20 + i * slot
        y0 = bottom - (bottom - top - 10) * value / top_value
        draw.rectangle([x0, y0, x0 + slot * 0.6, bottom - 1], fill=color, outline="black")
        draw.text((x0, bottom + 10), label, fill="black")
    return _png(img)


def cell_png(size=(480, 320)) -> bytes:
    """A schematic animal cell: membrane, cytoplasm, nucleus, a few mitochondria."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    draw.ellipse([20, 20, size[0] - 20, size[1] - 20], fill=(255, 236, 200), outline=(120, 70, 0), width=4)
    draw.ellipse([180, 110, 300, 210], fill=(170, 120, 200), outline=(80, 30, 110), width=3)
    draw.ellipse([215, 140, 245, 170], fill=(90, 40, 120))
    for x, y in [(80, 120), (330, 90), (120, 230), (360, 210)]:
        draw.ellipse([x, y, x + 50, y + 24], fill=(230, 120, 90), outline=(140, 50, 30), width=2)
    return _png(img)


def banner_png(size=(600, 80)) -> bytes:
    """A plain coloured stripe: the picture without alt text in the deck."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, (30, 110, 160))
    draw = ImageDraw.Draw(img)
    for i in range(0, size[0], 40):
        draw.rectangle([i, 0, i + 20, size[1]], fill=(60, 150, 200))
    return _png(img)


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


# -- (a) French PDF handout ------------------------------------------------------------------------

PDF_TITLE = "La photosynthèse : comment les plantes fabriquent leur matière"
PDF_HEADER = "Biologie végétale, première année - Fiche de cours n° 3"

PDF_HTML = """
<p class="title">La photosynthèse : comment les plantes fabriquent leur matière</p>
<p class="meta">Fiche de cours, licence 1, biologie végétale. Durée de lecture : 20 minutes.</p>

<h1>1. Introduction</h1>
<p>Les plantes vertes ne mangent pas. Elles fabriquent elles-mêmes la matière dont elles ont besoin.
Pour cela, elles utilisent la lumière du Soleil. Ce mécanisme s'appelle la photosynthèse.</p>
<p>La photosynthèse est un processus biochimique par lequel les organismes chlorophylliens, c'est-à-dire
les plantes, les algues et certaines bactéries, transforment l'énergie lumineuse en énergie chimique
stockée dans des molécules organiques, ce qui permet ensuite à presque tous les êtres vivants de la
planète de se nourrir, directement ou indirectement, en consommant ces organismes.</p>
<p>Pour réaliser la photosynthèse, la plante a besoin de lumière, d'eau, de dioxyde de carbone et de sels
minéraux. Elle rejette du dioxygène dans l'air.</p>

<h1>2. Où se déroule la photosynthèse ?</h1>
<h2>2.1 La feuille</h2>
<p>La feuille est l'organe principal de la photosynthèse. Sa surface large capte beaucoup de lumière.
Sur sa face inférieure, de petits orifices appelés stomates laissent entrer le dioxyde de carbone et
sortir le dioxygène et la vapeur d'eau ; la plante peut les fermer quand il fait trop chaud, mais elle
limite alors aussi l'entrée du dioxyde de carbone et donc la photosynthèse.</p>
<h2>2.2 Le chloroplaste</h2>
<p>Dans les cellules de la feuille se trouvent des organites verts, les chloroplastes. Ils contiennent un
pigment, la chlorophylle, qui absorbe surtout la lumière bleue et la lumière rouge. La lumière verte est
en grande partie renvoyée, ce qui explique la couleur des feuilles.</p>
<p>Une cellule de feuille contient en général de 20 à 100 chloroplastes, et chaque chloroplaste mesure
environ 5 micromètres de long, soit à peu près un dixième de l'épaisseur d'un cheveu.</p>

<h1>3. L'équation de la photosynthèse</h1>
<p>On résume la photosynthèse par une équation bilan : six molécules de dioxyde de carbone et six molécules
d'eau donnent, grâce à l'énergie de la lumière, une molécule de glucose et six molécules de dioxygène.</p>
<p class="formula">6 CO2 + 6 H2O → C6H12O6 + 6 O2</p>
<p>Les produits de la réaction sont : le glucose, le dioxygène et l'eau formée dans certaines étapes.
Le glucose sert de source d'énergie à la plante, mais il sert aussi de matériau de construction, car la
plante le transforme en amidon, en cellulose et en de nombreuses autres molécules.</p>

<h2>3.1 Les deux phases</h2>
<p>La photosynthèse se déroule en deux phases. La phase claire a lieu dans les membranes des thylakoïdes et
a besoin de lumière ; elle produit de l'énergie chimique et libère le dioxygène. La phase sombre, appelée
aussi cycle de Calvin, a lieu dans le stroma et utilise cette énergie pour fixer le carbone.</p>

<h1>4. Les facteurs qui influencent la photosynthèse</h1>
<p>L'intensité de la photosynthèse dépend de plusieurs facteurs : la lumière, la température, la quantité
de dioxyde de carbone et la disponibilité en eau. Le tableau 1 donne des valeurs mesurées dans une
expérience simple réalisée en travaux pratiques.</p>
<table>
<caption>Tableau 1 : production de dioxygène d'une plante aquatique selon l'éclairement</caption>
<tr><th>Éclairement (lux)</th><th>Bulles de dioxygène par minute</th><th>Température (°C)</th></tr>
<tr><td>0</td><td>0</td><td>20</td></tr>
<tr><td>2 000</td><td>12</td><td>20</td></tr>
<tr><td>5 000</td><td>27</td><td>20</td></tr>
<tr><td>10 000</td><td>41</td><td>20</td></tr>
<tr><td>20 000</td><td>43</td><td>20</td></tr>
</table>
<p>On observe que la production augmente avec la lumière, puis se stabilise. Au-delà d'un certain
éclairement, un autre facteur devient limitant, par exemple la quantité de dioxyde de carbone dissous dans
l'eau, et la plante ne peut plus produire davantage de dioxygène même si on l'éclaire plus fort.</p>
<div class="figure">
<img src="chart.png" width="400"/>
<p class="caption">Figure 1 : nombre de bulles de dioxygène par minute en fonction de l'éclairement
(données du tableau 1).</p>
</div>

<h1>5. Pourquoi la photosynthèse est-elle importante ?</h1>
<p>La photosynthèse produit presque tout le dioxygène de l'air que nous respirons. Elle est aussi à la base
des chaînes alimentaires : les herbivores mangent les plantes, et les carnivores mangent les herbivores.</p>
<p>Enfin, la photosynthèse retire du dioxyde de carbone de l'atmosphère. Les forêts, les prairies et les
océans stockent ainsi une partie du carbone émis par les activités humaines, ce qui limite le
réchauffement climatique, mais ce stockage ne suffit pas à compenser toutes les émissions.</p>

<h2>5.1 À retenir</h2>
<ul>
<li>La photosynthèse transforme l'énergie lumineuse en énergie chimique.</li>
<li>Elle a lieu dans les chloroplastes, surtout dans les feuilles.</li>
<li>Elle consomme du dioxyde de carbone et de l'eau.</li>
<li>Elle produit du glucose et du dioxygène.</li>
</ul>
<p class="meta">Texte original du projet inclusio, dédié au domaine public (CC0 1.0).</p>
"""

PDF_CSS = """
* { font-family: sans-serif; }
body { font-size: 11pt; line-height: 1.4; }
p { margin-bottom: 6pt; text-align: left; }
p.title { font-size: 20pt; font-weight: bold; margin-bottom: 4pt; }
p.meta { font-size: 9pt; color: #444444; }
h1 { font-size: 15pt; font-weight: bold; margin-top: 12pt; margin-bottom: 4pt; }
h2 { font-size: 12.5pt; font-weight: bold; margin-top: 8pt; margin-bottom: 3pt; }
p.formula { text-align: center; font-size: 12pt; }
table { border-collapse: collapse; margin-top: 4pt; margin-bottom: 8pt; }
caption { font-size: 10pt; font-style: italic; margin-bottom: 3pt; }
th, td { border: 1px solid #333333; padding: 3pt; font-size: 10pt; }
th { font-weight: bold; }
p.caption { font-size: 10pt; font-style: italic; }
"""


def make_pdf(path: Path) -> None:
    """The French course handout: title, h1/h2, long sentences, enumerations, table, figure,
    running header and footer, metadata, language, bookmarks."""
    import pymupdf

    archive = pymupdf.Archive()
    chart = bar_chart_png([("0", 0.5), ("2k", 12), ("5k", 27), ("10k", 41), ("20k", 43)], (60, 140, 60))
    archive.add(chart, "chart.png")
    story = pymupdf.Story(html=PDF_HTML, user_css=PDF_CSS, archive=archive)
    mediabox = pymupdf.paper_rect("a4")
    where = mediabox + (60, 72, -60, -72)
    toc: list[list] = []

    def rectfn(rect_num, filled):
        return mediabox, where, None

    def positionfn(position) -> None:
        if position.heading in (1, 2) and position.open_close & 1:
            toc.append([position.heading, position.text.strip(), position.page_num])

    doc = story.write_with_links(rectfn, positionfn)
    total = doc.page_count
    for number, page in enumerate(doc, start=1):
        page.insert_text((60, 45), PDF_HEADER, fontsize=8, fontname="helv", color=(0.3, 0.3, 0.3))
        page.draw_line((60, 52), (mediabox.width - 60, 52), color=(0.6, 0.6, 0.6), width=0.5)
        page.insert_text(
            (mediabox.width / 2 - 25, mediabox.height - 36),
            f"Page {number} sur {total}",
            fontsize=8,
            fontname="helv",
            color=(0.3, 0.3, 0.3),
        )
    doc.set_metadata(
        {
            "title": PDF_TITLE,
            "author": AUTHOR,
            "subject": "Cours de biologie végétale : la photosynthèse",
            "keywords": "photosynthèse, chloroplaste, biologie, cours",
            "creator": "inclusio samples/make_samples.py",
            "producer": "PyMuPDF",
            "creationDate": PDF_DATE,
            "modDate": PDF_DATE,
        }
    )
    doc.set_language("fr-FR")
    doc.set_toc(toc)
    doc.save(path, garbage=3, deflate=True, no_new_id=True)
    doc.close()


# -- (b) French PPTX deck -------------------------------------------------------------------------


def make_pptx(path: Path) -> None:
    """The French slide deck: titles, 2-level bullets, speaker notes, a picture with alt text,
    a picture whose only 'alt' is a file name, a table."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    title_layout, content_layout, title_only = (
        prs.slide_layouts[0],
        prs.slide_layouts[1],
        prs.slide_layouts[5],
    )

    def notes(slide, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text

    def bullets(slide, items: list[tuple[int, str]]) -> None:
        body = slide.placeholders[1].text_frame
        body.text = items[0][1]
        for level, text in items[1:]:
            para = body.add_paragraph()
            para.text = text
            para.level = level

    s1 = prs.slides.add_slide(title_layout)
    s1.shapes.title.text = "La cellule, unité du vivant"
    s1.placeholders[1].text = "Biologie, première année — Séance 2"
    notes(s1, "Accueillir les étudiants. Rappeler que la séance dure deux heures, avec une pause.")

    s2 = prs.slides.add_slide(content_layout)
    s2.shapes.title.text = "Qu'est-ce qu'une cellule ?"
    bullets(
        s2,
        [
            (0, "La plus petite unité vivante"),
            (1, "Elle se nourrit, grandit et se reproduit"),
            (1, "Taille : de 1 à 100 micromètres"),
            (0, "Deux grands types de cellules"),
            (1, "Procaryotes : sans noyau (bactéries)"),
            (1, "Eucaryotes : avec un noyau (animaux, plantes, champignons)"),
        ],
    )
    notes(s2, "Insister sur la notion d'unité : tout être vivant est fait d'une ou de plusieurs cellules.")

    s3 = prs.slides.add_slide(title_only)
    s3.shapes.title.text = "Schéma d'une cellule animale"
    pic = s3.shapes.add_picture(io.BytesIO(cell_png()), Inches(1), Inches(1.8), width=Inches(6))
    pic._element.xpath("./p:nvPicPr/p:cNvPr")[0].set(
        "descr",
        "Schéma d'une cellule animale : une membrane ovale entoure le cytoplasme, un noyau violet "
        "au centre et quatre mitochondries orange.",
    )
    box = s3.shapes.add_textbox(Inches(7.5), Inches(2), Inches(5), Inches(3))
    box.text_frame.word_wrap = True
    box.text_frame.text = (
        "La membrane entoure la cellule. Le noyau contient l'ADN. Les mitochondries produisent l'énergie."
    )
    banner = s3.shapes.add_picture(io.BytesIO(banner_png()), Inches(1), Inches(6.3), width=Inches(11))
    banner._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", "image2.png")
    notes(s3, "Faire dessiner le schéma aux étudiants avant de montrer la diapositive.")

    s4 = prs.slides.add_slide(title_only)
    s4.shapes.title.text = "Les organites et leur rôle"
    rows = [
        ("Organite", "Rôle", "Présent chez"),
        ("Noyau", "Contient l'information génétique", "Eucaryotes"),
        ("Mitochondrie", "Produit l'énergie de la cellule", "Eucaryotes"),
        ("Chloroplaste", "Réalise la photosynthèse", "Plantes et algues"),
        ("Ribosome", "Fabrique les protéines", "Toutes les cellules"),
    ]
    shape = s4.shapes.add_table(len(rows), 3, Inches(1), Inches(1.8), Inches(11), Inches(3.5))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = shape.table.cell(r, c)
            cell.text = text
            cell.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    notes(s4, "Le tableau se lit ligne par ligne. Demander quel organite manque aux cellules animales.")

    s5 = prs.slides.add_slide(content_layout)
    s5.shapes.title.text = "À retenir"
    bullets(
        s5,
        [
            (0, "Tout être vivant est formé de cellules"),
            (0, "Les eucaryotes ont un noyau"),
            (1, "L'ADN est dans le noyau"),
            (0, "Chaque organite a un rôle précis"),
        ],
    )
    notes(s5, "Annoncer le contrôle de la semaine prochaine sur les organites.")

    core = prs.core_properties
    core.title, core.author, core.subject = "La cellule, unité du vivant", AUTHOR, "Biologie cellulaire"
    core.language, core.keywords = "fr-FR", "cellule, organites, biologie"
    core.created = core.modified = FIXED_DATE.replace(tzinfo=None)
    core.last_modified_by, core.revision = AUTHOR, 1
    prs.save(path)


# -- (c) English DOCX handout ---------------------------------------------------------------------


def make_docx(path: Path) -> None:
    """The English handout: headings 1/2, bulleted and numbered lists, a table with a header row,
    an inline picture with alt text and a caption."""
    from docx import Document
    from docx.shared import Inches

    doc = Document()
    doc.add_heading("The Water Cycle", level=0)
    doc.add_paragraph("A short handout for first-year environmental science students.")

    doc.add_heading("1. What is the water cycle?", level=1)
    doc.add_paragraph(
        "Water moves all the time between the oceans, the air and the land. This never-ending journey is "
        "called the water cycle. The Sun gives the energy that drives it, and gravity brings the water back "
        "down."
    )
    doc.add_paragraph(
        "Although the total amount of water on Earth stays almost the same over thousands of years, the "
        "water in any one place, whether a lake, a cloud or an underground layer of rock, is constantly "
        "replaced, which is why the same molecule may have been part of an ocean, a glacier and a river."
    )

    doc.add_heading("2. The main stages", level=1)
    doc.add_paragraph("The cycle has four main stages:")
    for text in (
        "Evaporation: the Sun heats water, which turns into vapour.",
        "Condensation: the vapour cools and forms clouds.",
        "Precipitation: water falls as rain, snow or hail.",
        "Collection: water gathers in rivers, lakes, oceans and the ground.",
    ):
        doc.add_paragraph(text, style="List Number")

    doc.add_heading("2.1 Evaporation and transpiration", level=2)
    doc.add_paragraph(
        "Most water vapour comes from the oceans. Plants also release water through their leaves; this is "
        "called transpiration. Together, the two processes are called evapotranspiration."
    )

    doc.add_heading("2.2 Where is the water?", level=2)
    doc.add_paragraph("The table shows where the water on Earth is stored.")
    rows = [
        ("Reservoir", "Share of all water (%)", "Average residence time"),
        ("Oceans", "96.5", "3,000 years"),
        ("Ice caps and glaciers", "1.7", "100 years or more"),
        ("Groundwater", "1.7", "from weeks to 10,000 years"),
        ("Lakes and rivers", "0.01", "weeks to years"),
        ("Atmosphere", "0.001", "about 9 days"),
    ]
    table = doc.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
            if r == 0:
                table.cell(r, c).paragraphs[0].runs[0].bold = True
    doc.add_paragraph("Table 1: Where the water on Earth is stored.", style="Caption")

    chart = bar_chart_png([("Oceans", 96.5), ("Ice", 1.7), ("Ground", 1.7), ("Lakes", 0.5)], (40, 90, 170))
    doc.add_paragraph().add_run().add_picture(io.BytesIO(chart), width=Inches(4.5))
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set(
        "descr",
        "Bar chart: oceans hold almost all the water on Earth (96.5 percent); ice, "
        "groundwater, and lakes and rivers hold very small shares.",
    )
    inline.docPr.set("name", "Chart of water reservoirs")
    doc.add_paragraph("Figure 1: Share of the Earth's water in each reservoir.", style="Caption")

    doc.add_heading("3. Why it matters", level=1)
    doc.add_paragraph("The water cycle:")
    for text in (
        "gives us fresh water to drink;",
        "shapes the weather and the climate;",
        "carries nutrients to plants and animals.",
    ):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_paragraph("Original text by the inclusio project, dedicated to the public domain (CC0 1.0).")

    core = doc.core_properties
    core.title, core.author, core.subject = "The Water Cycle", AUTHOR, "Environmental science handout"
    core.language, core.keywords = "en-GB", "water cycle, evaporation, precipitation"
    core.created = core.modified = FIXED_DATE.replace(tzinfo=None)
    core.last_modified_by, core.revision = AUTHOR, 1
    doc.save(path)


SAMPLES = {
    "cours-photosynthese-fr.pdf": make_pdf,
    "diaporama-cellule-fr.pptx": make_pptx,
    "handout-water-cycle-en.docx": make_docx,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: samples/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, make in SAMPLES.items():
        make(args.out / name)
        print(args.out / name)


if __name__ == "__main__":
    main()
