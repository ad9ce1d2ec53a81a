package io.tlsagent.bench;

import java.util.Arrays;
import java.util.List;

/** Means, medians and 95% confidence intervals (Student's t) of small samples. */
final class Stats {

    /** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    private Stats() {}

    static double t95(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            return Double.NaN;
        }
        return degreesOfFreedom <= T95.length ? T95[degreesOfFreedom - 1] : 1.960;
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double sd(List<Double> xs) {
        double m = mean(xs);
        double ss = xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return xs.size() > 1 ? Math.sqrt(ss / (xs.size() - 1)) : Double.NaN;
    }

    /** Half-width of the 95% confidence interval of the mean. */
    static double ci95(List<Double> xs) {
        return t95(xs.size() - 1) * sd(xs) / Math.sqrt(xs.size());
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static double quantile(List<Double> xs, double q) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        double pos = q * (a.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, a.length - 1);
        return a[lo] + (pos - lo) * (a[hi] - a[lo]);
    }

    /**
     * The ratio with/without of paired measurements (one pair per round, forks interleaved): the geometric mean
     * of the pairs' ratios and its 95% interval, {low, estimate, high}.
     */
    static double[] pairedRatio(List<Double> with, List<Double> without) {
        int n = Math.min(with.size(), without.size());
        Double[] logs = new Double[n];
        for (int i = 0; i < n; i++) {
            logs[i] = Math.log(with.get(i) / without.get(i));
        }
        List<Double> l = Arrays.asList(logs);
        double m = mean(l);
        double h = n > 1 ? ci95(l) : Double.NaN;
        return new double[] {Math.exp(m - h), Math.exp(m), Math.exp(m + h)};
    }

    /** Paired differences with/without: {mean, 95% half-width}. */
    static double[] pairedDifference(List<Double> with, List<Double> without) {
        int n = Math.min(with.size(), without.size());
        Double[] d = new Double[n];
        for (int i = 0; i < n; i++) {
            d[i] = with.get(i) - without.get(i);
        }
        List<Double> l = Arrays.asList(d);
        return new double[] {mean(l), n > 1 ? ci95(l) : Double.NaN};
    }

    /** A 95% interval of a proportion k/n (Wilson score): {low, estimate, high}. */
    static double[] proportion(long k, long n) {
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double z = 1.96;
        double p = (double) k / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), p, Math.min(1, centre + half)};
    }

    /** The median of {@code xs} and a 95% bootstrap interval of it: {low, median, high}. */
    static double[] bootstrapMedian(List<Double> xs) {
        java.util.Random random = new java.util.Random(42);
        int n = xs.size();
        List<Double> medians = new java.util.ArrayList<>();
        for (int b = 0; b < 2000; b++) {
            List<Double> sample = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sample.add(xs.get(random.nextInt(n)));
            }
            medians.add(median(sample));
        }
        return new double[] {quantile(medians, 0.025), median(xs), quantile(medians, 0.975)};
    }
}
