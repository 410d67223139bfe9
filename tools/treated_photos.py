"""The treated photos of a benchmark set, analysed as tools/detection-accuracy.py analyses them:
shared by the tools that look into detection per puncture (recall-by-snr.py,
decision-threshold-sweep.py, visibility-rules.py). Standard library only."""
import fnmatch
import glob
import json
import os
import subprocess

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
binary = os.path.join(root, "build", "needlescope")
chromophores = os.path.join(root, "models", "chromophores-synth-camera.json")


def treated_photos(set_dir, pattern="*"):
    """{name: truth} of the set's treated skin and pair photos (punctures are blood there, not
    stain; a pair's AFTER photo may have none left), whose names match the shell pattern, in
    name order."""
    photos = {}
    for truth_path in sorted(glob.glob(os.path.join(set_dir, "*.truth.json"))):
        truth = json.load(open(truth_path))
        scene = truth["scene"]
        if scene["kind"] in ("skin-treated", "pair") and fnmatch.fnmatch(scene["name"], pattern):
            photos[scene["name"]] = truth
    return photos


def analyze(set_dir, photos, out, extra=()):
    """`needlescope analyze` of the photos into `out`, with the synthetic camera's calibration and
    no pictures; returns a directory of their truth files alone, for `needlescope eval`
    (which pairs every truth file with a result and reports the missing ones)."""
    images = [os.path.join(set_dir, truth["scene"]["image"]) for truth in photos.values()]
    subprocess.run([binary, "analyze", *images, "-o", out, "-q", "--pictures", "none", "--chromophores", chromophores,
                    *extra], check=True)
    truth_dir = os.path.join(out, "truth")
    os.mkdir(truth_dir)
    for name in photos:
        os.symlink(os.path.join(os.path.abspath(set_dir), name + ".truth.json"),
                   os.path.join(truth_dir, name + ".truth.json"))
    return truth_dir
