package io.trunkline.amd.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** PNG charts drawn with java.awt on an off-screen image (works headless). */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 105;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};

    /** A named series of values. */
    record Series(String name, List<Integer> values) {}

    /** A named series of (x, y) points. */
    record Line(String name, List<double[]> points) {}

    private Charts() {}

    /** Histogram of one or more latency samples in {@code binMs} bins, side by side. */
    static void histogram(Path png, String title, String xLabel, List<Series> series, int binMs) throws IOException {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (Series s : series) {
            for (int v : s.values()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            min = 0;
            max = binMs;
        }
        int firstBin = Math.floorDiv(min, binMs);
        int bins = Math.floorDiv(max, binMs) - firstBin + 1;
        int[][] counts = new int[series.size()][bins];
        int top = 1;
        for (int i = 0; i < series.size(); i++) {
            for (int v : series.get(i).values()) {
                int b = Math.floorDiv(v, binMs) - firstBin;
                top = Math.max(top, ++counts[i][b]);
            }
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double binW = (double) plotW / bins;
        double barW = binW / series.size();
        for (int i = 0; i < series.size(); i++) {
            g.setColor(COLORS[i % COLORS.length]);
            for (int b = 0; b < bins; b++) {
                int h = (int) Math.round((double) counts[i][b] / top * plotH);
                g.fillRect((int) (LEFT + b * binW + i * barW), TOP + plotH - h, Math.max(1, (int) barW - 1), h);
            }
        }
        axes(g, plotW, plotH);
        g.setColor(Color.BLACK);
        int labelEvery = Math.max(1, bins / 12);
        for (int b = 0; b <= bins; b += labelEvery) {
            g.drawString(String.valueOf((firstBin + b) * binMs), (int) (LEFT + b * binW) - 10, TOP + plotH + 18);
        }
        for (int c = 0; c <= top; c += Math.max(1, top / 8)) {
            g.drawString(String.valueOf(c), LEFT - 30, TOP + plotH - (int) ((double) c / top * plotH) + 5);
        }
        g.drawString(xLabel, LEFT + plotW / 2 - 80, HEIGHT - 15);
        legend(g, series.stream().map(s -> s.name() + " (n=" + s.values().size() + ")").toList());
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** Lines of y in [0, 1] (shown as %) against x. */
    static void lines(Path png, String title, String xLabel, List<Line> lines) throws IOException {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        for (Line l : lines) {
            for (double[] p : l.points()) {
                xMin = Math.min(xMin, p[0]);
                xMax = Math.max(xMax, p[0]);
            }
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setColor(new Color(0xdddddd));
        for (int pct = 0; pct <= 100; pct += 10) {
            int y = TOP + plotH - pct * plotH / 100;
            g.drawLine(LEFT, y, LEFT + plotW, y);
        }
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < lines.size(); i++) {
            g.setColor(COLORS[i % COLORS.length]);
            int px = -1;
            int py = -1;
            for (double[] p : lines.get(i).points()) {
                int x = LEFT + (int) ((p[0] - xMin) / (xMax - xMin) * plotW);
                int y = TOP + plotH - (int) (p[1] * plotH);
                g.fillOval(x - 3, y - 3, 7, 7);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
        g.setStroke(new BasicStroke(1f));
        axes(g, plotW, plotH);
        g.setColor(Color.BLACK);
        for (int pct = 0; pct <= 100; pct += 20) {
            g.drawString(pct + "%", LEFT - 40, TOP + plotH - pct * plotH / 100 + 5);
        }
        for (int k = 0; k <= 5; k++) {
            double x = xMin + (xMax - xMin) * k / 5;
            g.drawString(String.valueOf(Math.round(x)), LEFT + plotW * k / 5 - 10, TOP + plotH + 18);
        }
        g.drawString(xLabel, LEFT + plotW / 2 - 60, HEIGHT - 15);
        legend(g, lines.stream().map(Line::name).toList());
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static Graphics2D canvas(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static void axes(Graphics2D g, int plotW, int plotH) {
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
    }

    private static void legend(Graphics2D g, List<String> names) {
        int y = 52; // between the title and the plot
        for (int i = 0; i < names.size(); i++) {
            g.setColor(COLORS[i % COLORS.length]);
            g.fillRect(LEFT + 20, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), LEFT + 38, y);
            y += 18;
        }
    }
}
