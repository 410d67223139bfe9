#!/usr/bin/python3
"""Writes models/cartridges/*.json: nominal needle layouts of common pen cartridges.

Geometric layouts: the needle count and arrangement of each cartridge type (square grids,
rings), at a nominal pitch. NOT measured from any product: a lab that validates a real
cartridge should measure its own layout (a stamp on film under a microscope, or
`--cartridge auto` once it exists) and pass it with --cartridge FILE.json. The stamp fit takes
its scale from the holes, so a pitch that is off changes only the mm per px derived from it,
never which needle is which. Index order: row by row from the top left for grids (x right,
y down), counter-clockwise from the +x axis ring by ring, inner ring first, for round ones.
Rerun: tools/make-cartridges.py (deterministic).
"""
import json, math, os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "models", "cartridges")


def grid(side, pitch):
    return [[round(i * pitch, 4), round(j * pitch, 4)] for j in range(side) for i in range(side)]


def ring(count, pitch, radius=None, phase=0.0):
    r = radius if radius is not None else pitch / (2 * math.sin(math.pi / count))
    return [[round(r * math.cos(phase + 2 * math.pi * k / count), 4), round(r * math.sin(phase + 2 * math.pi * k / count), 4)]
            for k in range(count)]


LAYOUTS = {
    "grid9": ("3 x 3 square grid, 0.85 mm pitch", grid(3, 0.85)),
    "circle12": ("12 needles on one ring, 0.85 mm between neighbours", ring(12, 0.85)),
    "grid16": ("4 x 4 square grid, 0.85 mm pitch", grid(4, 0.85)),
    "round24": ("two rings: 8 needles on 1.1 mm radius, 16 on 2.2 mm", ring(8, None, 1.1) + ring(16, None, 2.2)),
    "grid36": ("6 x 6 square grid, 0.85 mm pitch", grid(6, 0.85)),
    "round42": ("three rings: 6 on 0.9 mm radius, 12 on 1.8 mm, 24 on 3.6 mm",
                ring(6, None, 0.9) + ring(12, None, 1.8) + ring(24, None, 3.6)),
    "nano100": ("10 x 10 square grid of micro-pins, 0.25 mm pitch", grid(10, 0.25)),
}

os.makedirs(out, exist_ok=True)
for name, (description, needles) in LAYOUTS.items():
    doc = {"schema": "needlescope.cartridge/1", "name": name, "description": description,
           "source": "nominal geometry (tools/make-cartridges.py), not measured from a product",
           "needles_mm": needles}
    head = json.dumps({k: v for k, v in doc.items() if k != "needles_mm"}, indent=1)[:-2]
    rows = ",\n".join("  " + json.dumps(p) for p in needles)
    with open(os.path.join(out, name + ".json"), "w") as f:
        f.write(head + ',\n "needles_mm": [\n' + rows + "\n ]\n}\n")
    json.load(open(os.path.join(out, name + ".json")))  # still JSON
print(f"wrote {len(LAYOUTS)} layouts to {out}")
