package io.trunkline.amd.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.amd.AmdParameter;
import io.trunkline.amd.AmdParameters;
import io.trunkline.amd.TestClips;
import io.trunkline.amd.vad.WebRtcVad;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator and its report on the eight copied clips. */
class AmdEvaluatorTest {

    static List<AmdEvaluator.Clip> clips;
    static Map<String, ClipLabel> labels;

    @TempDir
    Path out;

    @BeforeAll
    static void load() throws IOException {
        clips = AmdEvaluator.loadCorpus(TestClips.dir());
        labels = LabelsCsv.read(TestClips.dir().resolve("labels.csv"));
    }

    @Test
    void writesResultsCsvSummaryJsonAndChart() throws IOException {
        int handles = WebRtcVad.liveHandles();
        List<ClipOutcome> outcomes = AmdEvaluator.evaluate(clips, labels, AmdParameters.defaults());
        assertEquals(handles, WebRtcVad.liveHandles(), "every clip's detector is closed");
        EvaluationSummary summary = EvaluationSummary.of(outcomes, AmdParameters.defaults().asMap());
        ReportWriter.write(out, outcomes, summary, null, null);

        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("file,expected,verdict,cause,decision_ms,beep_end_ms", rows.get(0));
        assertEquals(9, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            assertEquals(6, f.length, row);
            ClipLabel label = labels.get(f[0]);
            assertEquals(label.label().key(), f[1], row);
            assertTrue(Integer.parseInt(f[4]) > 0, row);
            if (label.beepEndMs() != null) {
                assertEquals("MACHINE", f[2], row);
                assertTrue(Math.abs(Integer.parseInt(f[5]) - label.beepEndMs()) <= 300, row);
            } else {
                assertEquals("", f[5], row);
            }
        }
        assertTrue(rows.contains("amd_dev_004.wav,silence,SILENCE,INITIAL_SILENCE,4500,"), rows.toString());

        JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("summary");
        assertEquals(8, json.get("clips").asInt());
        assertEquals(1.0, json.get("accuracy").asDouble());
        assertEquals(3, json.at("/per_class/human/clips").asInt());
        assertEquals(3, json.at("/per_class/human/correct").asInt());
        assertEquals(4, json.at("/per_class/machine/clips").asInt());
        assertEquals(1, json.at("/confusion/silence/SILENCE").asInt());
        assertEquals(3, json.at("/latency/human_after_speech_end/count").asInt());
        assertTrue(json.at("/latency/human_after_speech_end/p50").asDouble() < 900);
        assertEquals(4, json.at("/beep/clips_with_beep").asInt());
        assertEquals(4, json.at("/beep/detected_within_tolerance").asInt());
        assertEquals(0, json.at("/beep/false_beeps_on_humans").asInt());
        assertEquals(1500, json.at("/parameters/initial_greeting").asInt());
        assertEquals(0, json.get("wrong").size());

        BufferedImage png = ImageIO.read(out.resolve("latency.png").toFile());
        assertNotNull(png);
        assertEquals(900, png.getWidth());
    }

    @Test
    void wrongClipsAreListed() {
        // 2 s of analysis is too short for the person who answers after 1.5 s with a long sentence
        AmdParameters hasty = AmdParameters.parse(List.of("machine_detection_time=2000"));
        EvaluationSummary s = EvaluationSummary.of(AmdEvaluator.evaluate(clips, labels, hasty), hasty.asMap());
        assertTrue(s.accuracy() < 1.0, s.toText());
        assertEquals(s.labelled() - Math.round(s.accuracy() * s.labelled()), s.wrong().size());
        assertTrue(s.wrong().contains(new EvaluationSummary.WrongClip("amd_dev_007.wav", "human", null, "NOT_SURE",
                "TOO_LONG", 2000)), s.toText());
        assertTrue(s.toText().contains("wrong: " + s.wrong().size()));
    }

    @Test
    void unlabelledClipsHaveAnEmptyExpectedColumn() throws IOException {
        List<ClipOutcome> outcomes = AmdEvaluator.evaluate(clips.subList(0, 2), new HashMap<>(), AmdParameters.defaults());
        ReportWriter.writeResults(out.resolve("r.csv"), outcomes);
        List<String> rows = Files.readAllLines(out.resolve("r.csv"));
        assertTrue(rows.get(1).startsWith("amd_dev_004.wav,,SILENCE,"), rows.get(1));
        assertEquals(0, EvaluationSummary.of(outcomes, Map.of()).labelled());
    }

    @Test
    void sweepEvaluatesEachValueAndDrawsAccuracy() throws IOException {
        Sweep sweep = Sweep.parse("after_greeting_silence=500:900:200");
        assertEquals(List.of(500, 700, 900), sweep.values());
        List<Sweep.Point> points = sweep.run(clips, labels, AmdParameters.defaults());
        assertEquals(3, points.size());
        assertEquals(700, points.get(1).value());
        assertEquals(1.0, points.get(1).accuracy());
        List<ClipOutcome> outcomes = AmdEvaluator.evaluate(clips, labels, AmdParameters.defaults());
        ReportWriter.write(out, outcomes, EvaluationSummary.of(outcomes, Map.of()), sweep, points);
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals("after_greeting_silence,accuracy,human_accuracy,machine_accuracy,human_latency_p50_ms", csv.get(0));
        assertEquals(4, csv.size());
        assertNotNull(ImageIO.read(out.resolve("sweep.png").toFile()));
        JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("after_greeting_silence", json.at("/sweep/parameter").asText());
        assertEquals(3, json.at("/sweep/points").size());
    }

    @Test
    void badSweepsNameTheProblem() {
        assertEquals("sweep must be NAME=FROM:TO:STEP, got 'vad_mode=0:3'",
                assertThrows(IllegalArgumentException.class, () -> Sweep.parse("vad_mode=0:3")).getMessage());
        assertEquals("vad_mode must be 0..3, got 4",
                assertThrows(IllegalArgumentException.class, () -> Sweep.parse("vad_mode=0:4:1")).getMessage());
        assertEquals("sweep step for vad_mode must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> Sweep.parse("vad_mode=0:3:0")).getMessage());
        assertEquals("sweep range for initial_silence must go up (FROM <= TO), got 5000:3000",
                assertThrows(IllegalArgumentException.class, () -> Sweep.parse("initial_silence=5000:3000:100"))
                        .getMessage());
        assertEquals(AmdParameter.BEEP_WAIT, Sweep.parse("beep_wait=1000:2000:1000").parameter());
    }

    @Test
    void labelsParseQuotedFieldsAndRejectUnknownClasses() throws IOException {
        ClipLabel l = labels.get("amd_dev_087.wav"); // its transcript is quoted and holds commas
        assertEquals(ClipLabel.Label.MACHINE, l.label());
        assertEquals(8016, l.beepStartMs());
        assertEquals(8482, l.beepEndMs());
        assertEquals(null, labels.get("amd_dev_004.wav").speechEndMs());
        Path bad = out.resolve("bad.csv");
        Files.writeString(bad, "file,label\nx.wav,fax\n");
        assertEquals(bad + " line 2: label must be human, machine or silence, got 'fax'",
                assertThrows(IOException.class, () -> LabelsCsv.read(bad)).getMessage());
        Files.writeString(bad, "name,label\n");
        assertEquals(bad + ": header lacks the 'file' column",
                assertThrows(IOException.class, () -> LabelsCsv.read(bad)).getMessage());
    }

    @Test
    void corpusFolderMustHoldWavFiles() {
        assertThrows(IllegalArgumentException.class, () -> AmdEvaluator.loadCorpus(out));
        assertThrows(IllegalArgumentException.class, () -> AmdEvaluator.loadCorpus(out.resolve("missing")));
    }
}
