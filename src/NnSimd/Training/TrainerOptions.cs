namespace NnSimd.Training;

/// <summary>The loss a <see cref="Trainer"/> minimises.</summary>
public enum Loss
{
    /// <summary>Softmax + cross-entropy, fused (the output layer's activation is softmax).</summary>
    CrossEntropy,
    /// <summary>Mean of 1/2 |y - t|^2 against one-hot targets (the output layer is identity).</summary>
    MeanSquaredError,
}

/// <summary>How weights start. Biases always start at 0.</summary>
public enum Init
{
    /// <summary>N(0, <see cref="TrainerOptions.InitStd"/>^2), the book's <c>weight_init_std * randn</c>.</summary>
    Gaussian,
    /// <summary>N(0, 1 / inputs): Xavier (Glorot) for sigmoid and tanh.</summary>
    Xavier,
    /// <summary>N(0, 2 / inputs): He for ReLU.</summary>
    He,
}

/// <summary>The learning rate per epoch (0-based).</summary>
public abstract record LearningRateSchedule
{
    /// <summary>The rate for <paramref name="epoch"/>.</summary>
    public abstract float Rate(int epoch);

    /// <summary>The same rate throughout.</summary>
    public sealed record Constant(float LearningRate) : LearningRateSchedule
    {
        /// <inheritdoc />
        public override float Rate(int epoch) => LearningRate;
    }

    /// <summary>Multiplied by <paramref name="Factor"/> every <paramref name="Every"/> epochs.</summary>
    public sealed record StepDecay(float LearningRate, float Factor = 0.5f, int Every = 3) : LearningRateSchedule
    {
        /// <inheritdoc />
        public override float Rate(int epoch) => LearningRate * MathF.Pow(Factor, epoch / Math.Max(1, Every));
    }

    /// <summary>
    /// Large, then small: the book's "gear shifting": <paramref name="LearningRate"/> until
    /// <paramref name="SwitchEpoch"/>, then a tenth of it.
    /// </summary>
    public sealed record Warm(float LearningRate, int SwitchEpoch) : LearningRateSchedule
    {
        /// <inheritdoc />
        public override float Rate(int epoch) => epoch < SwitchEpoch ? LearningRate : LearningRate / 10;
    }
}

/// <summary>Settings of a <see cref="Trainer"/>.</summary>
public sealed record TrainerOptions
{
    /// <summary>The schedule of the learning rate (default: constant 0.1).</summary>
    public LearningRateSchedule Schedule { get; init; } = new LearningRateSchedule.Constant(0.1f);

    /// <summary>Momentum (0 = plain SGD): v = momentum v - rate g; w += v.</summary>
    public float Momentum { get; init; }

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Seed of the initial weights and of the shuffling: same seed, same weights, bit for bit.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>How the weights start.</summary>
    public Init Init { get; init; } = Init.Xavier;

    /// <summary>The standard deviation for <see cref="Init.Gaussian"/>.</summary>
    public float InitStd { get; init; } = 0.01f;

    /// <summary>The loss.</summary>
    public Loss Loss { get; init; } = Loss.CrossEntropy;

    /// <summary>
    /// Threads per step (the batch's rows and the gradient's rows are split between them). Any count gives the
    /// same weights bit for bit: every element is computed by one thread, in the same order.
    /// </summary>
    public int Threads { get; init; } = 1;
}
