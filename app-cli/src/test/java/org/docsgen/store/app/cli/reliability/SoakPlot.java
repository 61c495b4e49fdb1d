package org.docsgen.store.app.cli.reliability;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the soak's samples as a PNG with the JDK alone (headless AWT and ImageIO): resident memory
 * and the heap after each collection over time in the upper panel, open file descriptors (all, and
 * sockets) in the lower one; the warm-up is shaded and the thirds the flatness rules compare are
 * marked.
 */
final class SoakPlot {
  private static final int WIDTH = 1400;
  private static final int HEIGHT = 960;
  private static final int LEFT = 110;
  private static final int RIGHT = 40;
  private static final Color RSS = new Color(0x1f77b4);
  private static final Color HEAP = new Color(0xd62728);
  private static final Color FDS = new Color(0x2ca02c);
  private static final Color SOCKETS = new Color(0x9467bd);
  private static final Color GRID = new Color(0xdddddd);
  private static final Color WARMUP = new Color(0xf2f2f2);

  /** A series of (seconds, value) points. */
  record Series(String name, Color color, double[] x, double[] y, boolean dots) {}

  private SoakPlot() {}

  static void write(
      Path png,
      String title,
      List<SoakSampler.Sample> samples,
      List<SoakSampler.HeapAfterGc> heap,
      List<SoakSampler.LiveHeap> live,
      double trafficStart,
      double trafficEnd)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
      g.drawString(title, LEFT, 32);

      double xMax = Math.max(1, samples.isEmpty() ? 1 : samples.get(samples.size() - 1).seconds());
      double[] t = samples.stream().mapToDouble(SoakSampler.Sample::seconds).toArray();
      double[] rss = samples.stream().mapToDouble(s -> s.rssKiB() / 1024.0).toArray();
      double[] fds = samples.stream().mapToDouble(SoakSampler.Sample::fds).toArray();
      double[] sockets = samples.stream().mapToDouble(SoakSampler.Sample::sockets).toArray();
      double[] ht = heap.stream().mapToDouble(SoakSampler.HeapAfterGc::seconds).toArray();
      double[] hv = heap.stream().mapToDouble(SoakSampler.HeapAfterGc::mib).toArray();
      double[] lt = live.stream().mapToDouble(SoakSampler.LiveHeap::seconds).toArray();
      double[] lv = live.stream().mapToDouble(SoakSampler.LiveHeap::mib).toArray();

      panel(
          g,
          60,
          410,
          "Server memory",
          "MiB",
          xMax,
          trafficStart,
          trafficEnd,
          List.of(
              new Series("resident memory (VmRSS)", RSS, t, rss, false),
              new Series("Java heap after each GC (-Xlog:gc)", HEAP, ht, hv, true),
              new Series("live heap after a forced full GC (jcmd)", Color.BLACK, lt, lv, true)));
      panel(
          g,
          520,
          380,
          "Server open file descriptors",
          "count",
          xMax,
          trafficStart,
          trafficEnd,
          List.of(
              new Series("all open fds (/proc/PID/fd)", FDS, t, fds, false),
              new Series("of which sockets", SOCKETS, t, sockets, false)));
    } finally {
      g.dispose();
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  private static void panel(
      Graphics2D g,
      int top,
      int height,
      String title,
      String unit,
      double xMax,
      double trafficStart,
      double trafficEnd,
      List<Series> series) {
    int plotTop = top + 30;
    int plotHeight = height - 80;
    int plotWidth = WIDTH - LEFT - RIGHT;
    double yMax = 0;
    for (Series s : series) {
      for (double v : s.y()) {
        yMax = Math.max(yMax, v);
      }
    }
    double yStep = niceStep(Math.max(yMax, 1) * 1.1 / 6);
    double yTop = Math.ceil(Math.max(yMax, 1) * 1.1 / yStep) * yStep;
    double xStep = niceStep(xMax / 10);

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString(title, LEFT, top + 18);

    // warm-up shading and the thirds of the traffic the flatness rules compare
    double third = (trafficEnd - trafficStart) / 3;
    int warm0 = x(trafficStart, xMax, plotWidth);
    int warm1 = x(trafficStart + third, xMax, plotWidth);
    g.setColor(WARMUP);
    g.fillRect(warm0, plotTop, warm1 - warm0, plotHeight);

    // grid and tick labels
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    for (double v = 0; v <= yTop + 1e-9; v += yStep) {
      int py = plotTop + plotHeight - (int) Math.round(v / yTop * plotHeight);
      g.setColor(GRID);
      g.drawLine(LEFT, py, LEFT + plotWidth, py);
      g.setColor(Color.BLACK);
      String label = format(v);
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
    }
    for (double v = 0; v <= xMax + 1e-9; v += xStep) {
      int px = x(v, xMax, plotWidth);
      g.setColor(GRID);
      g.drawLine(px, plotTop, px, plotTop + plotHeight);
      g.setColor(Color.BLACK);
      String label = format(v);
      g.drawString(label, px - fm.stringWidth(label) / 2, plotTop + plotHeight + 18);
    }
    Stroke dashed =
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
    Stroke plain = g.getStroke();
    g.setStroke(dashed);
    g.setColor(Color.GRAY);
    for (double mark :
        new double[] {trafficStart, trafficStart + third, trafficStart + 2 * third, trafficEnd}) {
      int px = x(mark, xMax, plotWidth);
      g.drawLine(px, plotTop, px, plotTop + plotHeight);
    }
    g.setStroke(plain);
    g.setColor(Color.DARK_GRAY);
    g.drawString("warm-up", warm0 + 6, plotTop + 16);
    g.drawString("2nd third", x(trafficStart + third, xMax, plotWidth) + 6, plotTop + 16);
    g.drawString("last third", x(trafficStart + 2 * third, xMax, plotWidth) + 6, plotTop + 16);

    // axes
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, plotTop, plotWidth, plotHeight);
    String xLabel =
        "seconds since the server started listening (1 sample/s); traffic between the first and last dashed lines";
    g.drawString(
        xLabel, LEFT + plotWidth / 2 - fm.stringWidth(xLabel) / 2, plotTop + plotHeight + 38);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(unit, -(plotTop + plotHeight / 2) - fm.stringWidth(unit) / 2, LEFT - 62);
    g.setTransform(saved);

    // series and legend
    int legendY = plotTop + plotHeight + 62;
    int legendX = LEFT;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(new BasicStroke(2f));
      if (s.dots()) {
        for (int i = 0; i < s.x().length; i++) {
          if (s.x()[i] < 0 || s.x()[i] > xMax) {
            continue; // outside the sampled time (the GC log goes on after the last sample)
          }
          int px = x(s.x()[i], xMax, plotWidth);
          int py = plotTop + plotHeight - (int) Math.round(s.y()[i] / yTop * plotHeight);
          int r = s.color() == Color.BLACK ? 5 : 2;
          g.fillOval(px - r, py - r, 2 * r + 1, 2 * r + 1);
        }
        g.fillOval(legendX + 10, legendY - 8, 9, 9);
      } else {
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < s.x().length; i++) {
          double px = x(s.x()[i], xMax, plotWidth);
          double py = plotTop + plotHeight - s.y()[i] / yTop * plotHeight;
          if (i == 0) {
            line.moveTo(px, py);
          } else {
            line.lineTo(px, py);
          }
        }
        g.draw(line);
        g.drawLine(legendX, legendY - 4, legendX + 26, legendY - 4);
      }
      g.setStroke(plain);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), legendX + 34, legendY);
      legendX += 34 + fm.stringWidth(s.name()) + 40;
    }
  }

  private static int x(double seconds, double xMax, int plotWidth) {
    return LEFT + (int) Math.round(seconds / xMax * plotWidth);
  }

  private static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / magnitude;
    double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
    return nice * magnitude;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
