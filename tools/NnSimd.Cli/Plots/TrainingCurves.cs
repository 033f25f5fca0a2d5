using System.Globalization;
using NnSimd.Training;
using ScottPlot;

namespace NnSimd.Cli.Plots;

/// <summary>
/// <c>nnsimd train --plot</c>: the loss per epoch on the left axis and the train and test accuracy on the right
/// one, since the two have different units and ranges. Epochs are whole numbers, so the x axis ticks them only.
/// </summary>
internal static class TrainingCurves
{
    public static byte[] Render(IReadOnlyList<(double Loss, double Train, double Test)> history, string title, Loss loss)
    {
        double[] epochs = Enumerable.Range(1, history.Count).Select(e => (double)e).ToArray();
        var plot = new Plot();

        Color lossColor = Colors.C0;
        var lossLine = Add(plot, epochs, history.Select(h => h.Loss), lossColor, $"loss ({Last(history[^1].Loss)})", MarkerShape.FilledCircle);
        lossLine.Axes.YAxis = plot.Axes.Left;
        var train = Add(plot, epochs, history.Select(h => h.Train), Colors.C1, $"train accuracy ({Last(history[^1].Train)})", MarkerShape.FilledSquare);
        var test = Add(plot, epochs, history.Select(h => h.Test), Colors.C2, $"test accuracy ({Last(history[^1].Test)})", MarkerShape.FilledDiamond);
        train.Axes.YAxis = plot.Axes.Right;
        test.Axes.YAxis = plot.Axes.Right;

        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = loss == Loss.MeanSquaredError ? "loss (mean squared error)" : "loss (cross-entropy)";
        plot.Axes.Left.Label.ForeColor = lossColor;
        plot.Axes.Right.Label.Text = "accuracy";

        // Half an epoch of margin either side, so a single epoch sits in the middle with one tick under it.
        plot.Axes.Bottom.TickGenerator = Ticks.Integers(1, history.Count);
        plot.Axes.SetLimitsX(0.5, history.Count + 0.5);

        // Loss from 0, so its fall reads in proportion; accuracy between tenths around the data, at most 1.
        plot.Axes.SetLimitsY(0, Math.Max(history.Max(h => h.Loss) * 1.1, 1e-3), plot.Axes.Left);
        double[] accuracies = history.SelectMany(h => new[] { h.Train, h.Test }).ToArray();
        double low = Math.Max(0, Math.Floor((accuracies.Min() - 0.005) * 10) / 10);
        double high = Math.Min(1, Math.Ceiling((accuracies.Max() + 0.005) * 10) / 10);
        plot.Axes.SetLimitsY(low, high, plot.Axes.Right);

        plot.ShowLegend(Edge.Bottom);
        return Png.Render(plot, 720, 480);
    }

    private static ScottPlot.Plottables.Scatter Add(Plot plot, double[] xs, IEnumerable<double> ys, Color color, string legend, MarkerShape marker)
    {
        var scatter = plot.Add.Scatter(xs, ys.ToArray(), color);
        scatter.LegendText = legend;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 9;
        scatter.MarkerShape = marker;
        return scatter;
    }

    private static string Last(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
