#!/usr/bin/env python3
"""Builds the generated AMD corpora (labelled like ../shared/corpus/amd, see its README): 8 kHz mono 16-bit WAVs
and a labels.csv with the development corpus's columns plus `kind` (the sub-kind, for per-kind figures).

    python3 amd/corpus/generate.py --set tune    --out target/amd-corpus/tune
    python3 amd/corpus/generate.py --set holdout --out target/amd-corpus/holdout

`tune` may be used for tuning the detector; `holdout` must not be: it is looked at only to report the final
figure. The two differ from the development corpus and from each other in voices (espeak-ng accents and variants,
flite voices the development corpus does not use), speaking rates and pitch, phrases (amd/corpus/phrases.py),
beep tones, noise colour, band limits, companding law and channel faults.

Needs espeak-ng, flite and sox (Debian packages). Deterministic: every random choice comes from a seeded
random.Random, sox runs in repeatable mode (-R) without dither (-D), and the TTS engines are deterministic.
"""
import argparse
import array
import csv
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import phrases  # noqa: E402

RATE = 8000

# Per corpus: voices (engine, voice), rates, pitch, levels, beeps, channel. Voices are disjoint from the
# development corpus (espeak-ng en-us+m3, en-us+f2, en-gb+f4, en-gb-x-rp+m2, flite kal16/slt, festival kal).
CORPORA = {
    "tune": {
        "seed": 1701,
        "texts": phrases.TUNE,
        "voices": [("espeak-ng", "en-gb-scotland+m1"), ("espeak-ng", "en-029+f3"), ("espeak-ng", "en-us-nyc+m4"),
                   ("espeak-ng", "en-gb-x-gbclan+f5"), ("flite", "awb")],
        "espeak_speed": (135, 195), "espeak_pitch": (25, 75), "flite_stretch": (0.85, 1.2), "flite_f0": (90, 150),
        "level_dbfs": (-26, -16),
        # (first tone Hz, ms range), optional second tone; gap ms
        "beeps": [((1000, (250, 700)), None, None), ((1200, (300, 600)), None, None), ((600, (400, 900)), None, None),
                  ((2000, (200, 400)), None, None), ((800, (200, 300)), (1000, (200, 300)), (0, 0)),
                  ((1500, (150, 220)), (1500, (150, 220)), (60, 120))],
        "beep_dbfs": (-20, -8),
        "bands": [(300, 3400), (250, 3600)],
        "noises": ["white", "pink"],
        "law": ["u-law"],
        "hum": 0.0,
        "snr": [(None, 15), (25, 20), (20, 20), (15, 20), (10, 15), (5, 7), (0, 3)],
    },
    "holdout": {
        "seed": 4242,
        "texts": phrases.HOLDOUT,
        "voices": [("espeak-ng", "en-gb-x-gbcwmd+m6"), ("espeak-ng", "en-us+Annie"), ("espeak-ng", "en-gb+Michael"),
                   ("espeak-ng", "en+klatt3"), ("flite", "rms"), ("flite", "kal")],
        "espeak_speed": (125, 205), "espeak_pitch": (15, 85), "flite_stretch": (0.8, 1.25), "flite_f0": (85, 170),
        "level_dbfs": (-28, -14),
        "beeps": [((425, (500, 1000)), None, None), ((950, (200, 500)), None, None), ((1800, (300, 600)), None, None),
                  ((700, (250, 500)), None, None), ((1100, (150, 250)), (1400, (200, 300)), (0, 0)),
                  ((500, (150, 200)), (500, (150, 200)), (80, 150))],
        "beep_dbfs": (-24, -6),
        "bands": [(200, 3200), (300, 3000), (350, 3400)],
        "noises": ["pink", "brown"],
        "law": ["a-law", "u-law"],
        "hum": 0.3,
        "snr": [(None, 15), (25, 20), (20, 20), (15, 20), (10, 15), (5, 7), (0, 3)],
    },
}

# Clips per (label, kind); 200 in all.
PLAN = [("human", "single", 50), ("human", "long", 20), ("human", "twopart", 15), ("human", "double", 15),
        ("machine", "personal", 30), ("machine", "short", 20), ("machine", "carrier", 20), ("machine", "ivr", 15),
        ("silence", "deadair", 15)]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_raw(path):
    a = array.array("h")
    with open(path, "rb") as f:
        a.frombytes(f.read())
    return [x / 32768.0 for x in a]


def write_wav(path, x):
    a = array.array("h", (max(-32768, min(32767, int(round(v * 32768)))) for v in x))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(a.tobytes())


def sox_filter(tmp, x, effects):
    """Runs samples through a sox effect chain (repeatable, no dither)."""
    src, dst = os.path.join(tmp, "f_in.wav"), os.path.join(tmp, "f_out.raw")
    write_wav(src, x)
    run(["sox", "-R", "-D", src, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-r", str(RATE), dst] + effects)
    return read_raw(dst)


def rms(x):
    return math.sqrt(sum(v * v for v in x) / max(1, len(x)))


def active_level(x):
    """RMS over the 10 ms frames within 30 dB of the loudest: the level of the speech, not of its pauses."""
    frames = [x[i:i + 80] for i in range(0, len(x) - 79, 80)]
    levels = [rms(f) for f in frames]
    top = max(levels, default=0)
    act = [f for f, l in zip(frames, levels) if l > top * 10 ** (-30 / 20)]
    return rms([v for f in act for v in f]) if act else 0


def synth(tmp, cfg, rnd, voice, text, tempo=1.0):
    engine, name = voice
    out = os.path.join(tmp, "tts.wav")
    if engine == "espeak-ng":
        speed = int(rnd.uniform(*cfg["espeak_speed"]) * tempo)
        pitch = int(rnd.uniform(*cfg["espeak_pitch"]))
        run(["espeak-ng", "-v", name, "-s", str(speed), "-p", str(pitch), "-w", out, text])
    else:
        stretch = rnd.uniform(*cfg["flite_stretch"]) / tempo
        f0 = rnd.uniform(*cfg["flite_f0"])
        run(["flite", "-voice", name, "--setf", "duration_stretch=%.3f" % stretch, "--setf",
             "int_f0_target_mean=%.1f" % f0, "-t", text, "-o", out])
    raw = os.path.join(tmp, "tts.raw")
    run(["sox", "-R", "-D", out, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-r", str(RATE), raw])
    x = read_raw(raw)
    # trim to the 10 ms frames within 45 dB of the loudest, plus 5 ms (the development corpus's rule)
    levels = [rms(x[i:i + 80]) for i in range(0, len(x) - 79, 80)]
    top = max(levels)
    keep = [i for i, l in enumerate(levels) if l > top * 10 ** (-45 / 20)]
    a = max(0, keep[0] * 80 - 40)
    b = min(len(x), (keep[-1] + 1) * 80 + 40)
    x = x[a:b]
    level = rnd.uniform(*cfg["level_dbfs"])
    g = 10 ** (level / 20) / active_level(x)
    return [v * g for v in x]


def fitted(tmp, cfg, rnd, voice, text, lo, hi):
    """Synthesises text so that it lasts lo..hi seconds (re-synthesised faster or slower, up to six tries)."""
    tempo = 1.0
    x = synth(tmp, cfg, rnd, voice, text, tempo)
    for _ in range(6):
        d = len(x) / RATE
        if lo <= d <= hi:
            break
        tempo *= d / ((lo + hi) / 2)
        x = synth(tmp, cfg, rnd, voice, text, tempo)
    return x


def tone(hz, ms, dbfs, phase0):
    n = int(RATE * ms / 1000)
    amp = 10 ** (dbfs / 20) * math.sqrt(2)
    ramp = int(RATE * 0.005)
    out = []
    for i in range(n):
        w = 1.0
        if i < ramp:
            w = 0.5 - 0.5 * math.cos(math.pi * i / ramp)
        elif i >= n - ramp:
            w = 0.5 - 0.5 * math.cos(math.pi * (n - 1 - i) / ramp)
        out.append(amp * w * math.sin(2 * math.pi * hz * i / RATE + phase0))
    return out


def beep(cfg, rnd):
    first, second, gap = rnd.choice(cfg["beeps"])
    dbfs = rnd.uniform(*cfg["beep_dbfs"])
    x = tone(first[0], rnd.uniform(*first[1]), dbfs, rnd.uniform(0, 6.28))
    if second:
        x += [0.0] * int(RATE * rnd.uniform(*gap) / 1000)
        x += tone(second[0], rnd.uniform(*second[1]), dbfs, rnd.uniform(0, 6.28))
    return x


def noise(rnd, colour, n):
    if colour == "white":
        return [rnd.gauss(0, 1) for _ in range(n)]
    out = []
    if colour == "pink":  # Paul Kellet's economy filter
        b0 = b1 = b2 = 0.0
        for _ in range(n):
            w = rnd.gauss(0, 1)
            b0 = 0.99765 * b0 + w * 0.0990460
            b1 = 0.96300 * b1 + w * 0.2965164
            b2 = 0.57000 * b2 + w * 1.0526913
            out.append(b0 + b1 + b2 + w * 0.1848)
        return out
    y = 0.0  # brown: leaky integration of white noise
    for _ in range(n):
        y = 0.995 * y + rnd.gauss(0, 1)
        out.append(y)
    return out


def weighted(rnd, pairs):
    total = sum(w for _, w in pairs)
    r = rnd.uniform(0, total)
    for v, w in pairs:
        r -= w
        if r <= 0:
            return v
    return pairs[-1][0]


class Clip:
    def __init__(self, label, kind):
        self.label, self.kind = label, kind
        self.segments = []  # (start_s, samples)
        self.beep_at = None
        self.beep = None
        self.text = []
        self.voices = []


def fill(text, texts, rnd):
    return text.replace("{name}", rnd.choice(texts["names"])).replace("{org}", rnd.choice(texts["orgs"]))


def build(tmp, cfg, rnd, label, kind, voice, other_voice):
    t = cfg["texts"]
    c = Clip(label, kind)
    c.voices.append(voice)

    def say(at, text, v=voice, fit=None):
        x = fitted(tmp, cfg, rnd, v, text, *fit) if fit else synth(tmp, cfg, rnd, v, text)
        c.segments.append((at, x))
        c.text.append(text)
        return at + len(x) / RATE

    if label == "human":
        at = rnd.uniform(0.2, 2.0)
        if kind == "single":
            end = say(at, fill(rnd.choice(t["single"]), t, rnd), fit=(0.3, 1.6))
        elif kind == "long":
            end = say(at, fill(rnd.choice(t["long"]), t, rnd), fit=(2.0, 2.7))
        elif kind == "twopart":
            a, b = rnd.choice(t["twopart"])
            end = say(at, fill(a, t, rnd), fit=(0.3, 1.4))
            end = say(end + rnd.uniform(0.3, 0.8), fill(b, t, rnd), fit=(0.3, 1.6))
        else:
            a, b = rnd.choice(t["double"])
            end = say(at, fill(a, t, rnd), fit=(0.3, 1.4))
            end = say(end + rnd.uniform(1.5, 2.5), fill(b, t, rnd), fit=(0.4, 1.8))
        length = max(rnd.uniform(6.0, 7.2), end + 1.5)
    elif label == "machine":
        at = rnd.uniform(0.1, 0.5) if rnd.random() < 0.7 else rnd.uniform(0.5, 1.0)
        if kind == "personal":
            end = say(at, fill(rnd.choice(t["personal"]), t, rnd), fit=(3.5, 8.0))
            has_beep = rnd.random() < 0.8
        elif kind == "short":
            end = say(at, fill(rnd.choice(t["short"]), t, rnd), fit=(1.7, 3.0))
            has_beep = True
        elif kind == "carrier":
            end = at
            name = rnd.choice(t["names"])
            for part in rnd.choice(t["carrier"]):
                if part.startswith("{voice2}"):
                    end = say(end, name, v=other_voice)
                    c.voices.append(other_voice)
                else:
                    end = say(end, fill(part, t, rnd))
                # prompts are concatenated with short pauses; one in ten is a long one (the hard case)
                end += rnd.uniform(1.0, 1.5) if rnd.random() < 0.1 else rnd.uniform(0.2, 0.9)
            end = c.segments[-1][0] + len(c.segments[-1][1]) / RATE
            has_beep = rnd.random() < 0.85
        else:
            end = say(at, fill(rnd.choice(t["ivr"]), t, rnd), fit=(4.0, 9.0))
            has_beep = rnd.random() < 0.2
        if has_beep:
            c.beep_at = end + rnd.uniform(0.2, 1.0)
            c.beep = beep(cfg, rnd)
            end = c.beep_at + len(c.beep) / RATE
        length = max(6.0, end + rnd.uniform(0.6, 2.5))
    else:
        length = rnd.uniform(6.0, 9.0)
    return c, length


def render(tmp, cfg, rnd, c, length):
    n = int(length * RATE)
    x = [0.0] * n
    for at, seg in c.segments:
        i0 = int(at * RATE)
        for i, v in enumerate(seg):
            if i0 + i < n:
                x[i0 + i] += v
    beep_span = None
    if c.beep:
        i0 = int(c.beep_at * RATE)
        nz = [i for i, v in enumerate(c.beep) if v != 0.0]
        beep_span = (int((i0 + nz[0]) * 1000 / RATE), int((i0 + nz[-1] + 1) * 1000 / RATE))
        for i, v in enumerate(c.beep):
            if i0 + i < n:
                x[i0 + i] += v
    lo, hi = rnd.choice(cfg["bands"])
    band = ["sinc", "%d-%d" % (lo, hi)]
    x = sox_filter(tmp, x, band)[:n]
    speech_level = active_level(x) if c.segments else 10 ** (-20 / 20)
    snr = weighted(rnd, cfg["snr"])
    colour = rnd.choice(cfg["noises"])
    if snr is not None:
        nz = sox_filter(tmp, [v * 0.05 for v in noise(rnd, colour, n)], band)[:n]
        g = speech_level * 10 ** (-snr / 20) / max(1e-9, rms(nz))
        x = [a + b * g for a, b in zip(x, nz)]
    faults = []
    if cfg["hum"] and rnd.random() < cfg["hum"]:
        f0 = rnd.choice([50, 60])
        amp = 10 ** (rnd.uniform(-50, -38) / 20)
        x = [v + amp * sum(math.sin(2 * math.pi * f0 * k * i / RATE) / k for k in (1, 3, 5, 7))
             for i, v in enumerate(x)]
        faults.append("hum%d" % f0)
    if rnd.random() < 0.2:  # an AGC-like level jump at a random moment, with a 30 ms slew
        at, gain = int(rnd.uniform(0.5, length - 0.5) * RATE), 10 ** (rnd.uniform(-8, 8) / 20)
        slew = int(0.03 * RATE)
        x = [v * (1 if i < at else gain if i >= at + slew else 1 + (gain - 1) * (i - at) / slew)
             for i, v in enumerate(x)]
        faults.append("jump")
    if rnd.random() < 0.1:  # overdriven line: gain then hard clipping
        g = 10 ** (rnd.uniform(10, 18) / 20)
        x = [max(-0.99, min(0.99, v * g)) for v in x]
        faults.append("clip")
    if rnd.random() < 0.15:  # lost packets concealed by silence: 1-4 gaps of 20-60 ms
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randrange(0, n - 480)
            for i in range(at, at + rnd.choice([160, 320, 480])):
                x[i] = 0.0
        faults.append("gaps")
    law = rnd.choice(cfg["law"])
    src, mid, dst = (os.path.join(tmp, f) for f in ("g_in.wav", "g_mid.wav", "g_out.raw"))
    write_wav(src, x)
    run(["sox", "-R", "-D", src, "-e", law, "-b", "8", mid])
    run(["sox", "-R", "-D", mid, "-t", "raw", "-e", "signed", "-b", "16", dst])
    faults.append(law)
    return read_raw(dst)[:n], beep_span, snr, colour, faults


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", required=True, choices=sorted(CORPORA))
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    for tool in ("espeak-ng", "flite", "sox"):
        if shutil.which(tool) is None:
            sys.exit("generate.py: %s is missing (apt-get install espeak-ng flite sox)" % tool)
    cfg = CORPORA[args.set]
    rnd = random.Random(cfg["seed"])
    jobs = [(label, kind) for label, kind, count in PLAN for _ in range(count)]
    rnd.shuffle(jobs)
    os.makedirs(args.out, exist_ok=True)
    voices = cfg["voices"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, kind) in enumerate(jobs):
            crnd = random.Random("%s-%d" % (cfg["seed"], i))  # per clip, so one clip's draws never shift another's
            voice = voices[i % len(voices)]
            other = voices[(i + 1 + crnd.randrange(len(voices) - 1)) % len(voices)]
            c, length = build(tmp, cfg, crnd, label, kind, voice, other)
            pcm, beep_span, snr, colour, faults = render(tmp, cfg, crnd, c, length)
            name = "amd_%s_%03d.wav" % (args.set, i + 1)
            write_wav(os.path.join(args.out, name), pcm)
            starts = [int(at * 1000) for at, _ in c.segments]
            ends = [int((at + len(s) / RATE) * 1000) for at, s in c.segments]
            text = " ".join(c.text)
            rows.append([name, label, min(starts) if starts else "", max(ends) if ends else "",
                         beep_span[0] if beep_span else "", beep_span[1] if beep_span else "",
                         len(text.split()), "|".join("%s:%s" % v for v in c.voices) if c.segments else "",
                         "" if snr is None else snr, text, kind, colour if snr is not None else "", "+".join(faults)])
            print("%s %s/%s" % (name, label, kind), file=sys.stderr)
    with open(os.path.join(args.out, "labels.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "label", "speech_start_ms", "speech_end_ms", "beep_start_ms", "beep_end_ms", "words",
                    "voice", "snr_db", "transcript", "kind", "noise", "channel"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
