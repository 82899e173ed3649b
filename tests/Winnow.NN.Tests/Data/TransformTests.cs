using Winnow.NN.Data;

namespace Winnow.NN.Tests.Data;

public sealed class TransformTests
{
    // 1×4×4 image with values 1..16 and a lookup that maps byte x to x, so the output shows which
    // source pixel landed where (0 = padding).
    private static readonly byte[] s_image = Enumerable.Range(1, 16).Select(v => (byte)v).ToArray();
    private static readonly float[] s_identity = Enumerable.Range(0, 256).Select(v => (float)v).ToArray();

    [Fact]
    public void Normalization_MatchesTorchvisionFormula()
    {
        var n = new Normalization([0.5f, 0.25f], [0.25f, 0.5f]);

        Assert.Equal(2f, n.Apply(255, 0));
        Assert.Equal(-2f, n.Apply(0, 0));
        Assert.Equal((128 / 255f - 0.25f) / 0.5f, n.Apply(128, 1));
        float[] table = n.BuildLookup();
        Assert.Equal(512, table.Length);
        Assert.Equal(n.Apply(37, 1), table[256 + 37]);
        Assert.Equal(new Normalization([0.5f, 0.25f], [0.25f, 0.5f]), n);
    }

    [Fact]
    public void Catalog_HasTheStandardNormalisations()
    {
        Assert.Equal([0.2860f], DatasetCatalog.Get("fashion-mnist").Normalization.Mean);
        Assert.Equal([0.3530f], DatasetCatalog.Get("fashion-mnist").Normalization.Std);
        Assert.Equal([0.1307f], DatasetCatalog.Get("mnist").Normalization.Mean);
        Assert.Equal([0.3081f], DatasetCatalog.Get("mnist").Normalization.Std);
        Assert.Equal([0.1918f], DatasetCatalog.Get("kmnist").Normalization.Mean);
        Assert.Equal([0.3483f], DatasetCatalog.Get("kmnist").Normalization.Std);
        Assert.Equal([0.4914f, 0.4822f, 0.4465f], DatasetCatalog.Get("cifar10").Normalization.Mean);
        Assert.Equal([0.2470f, 0.2435f, 0.2616f], DatasetCatalog.Get("cifar10").Normalization.Std);
        Assert.Equal([0.5071f, 0.4865f, 0.4409f], DatasetCatalog.Get("cifar100").Normalization.Mean);
        Assert.Equal([0.2673f, 0.2564f, 0.2762f], DatasetCatalog.Get("cifar100").Normalization.Std);
    }

    [Fact]
    public void Shift_CropsWithZeroPadding()
    {
        // Padding 1, crop offset (2, 0) in the padded image = shift (+1, −1).
        float[] expected =
        [
            0, 5, 6, 7,
            0, 9, 10, 11,
            0, 13, 14, 15,
            0, 0, 0, 0,
        ];

        Assert.Equal(expected, Run(new SampleAugmentation(1, -1, false)));
    }

    [Fact]
    public void Flip_MirrorsEachRow()
    {
        float[] expected =
        [
            4, 3, 2, 1,
            8, 7, 6, 5,
            12, 11, 10, 9,
            16, 15, 14, 13,
        ];

        Assert.Equal(expected, Run(new SampleAugmentation(0, 0, true)));
    }

    [Fact]
    public void CropThenFlip_MatchesTorchvisionOrder()
    {
        // Padded 6×6, crop at (0, 2): rows −1..2, columns 1..4 of the image; then mirrored.
        float[] expected =
        [
            0, 0, 0, 0,
            0, 4, 3, 2,
            0, 8, 7, 6,
            0, 12, 11, 10,
        ];

        Assert.Equal(expected, Run(new SampleAugmentation(-1, 1, true)));
    }

    [Fact]
    public void PaddedPixels_BecomeNormalisedBlack()
    {
        var norm = DatasetCatalog.Get("fashion-mnist").Normalization;
        var dst = new float[16];

        ImageTransforms.Apply(s_image, 1, 4, 4, norm.BuildLookup(), new SampleAugmentation(-1, 0, false), dst);

        Assert.Equal((0f - 0.2860f) / 0.3530f, dst[0]);
        Assert.Equal(norm.Apply(1, 0), dst[4]);
    }

    [Fact]
    public void MultiChannel_UsesEachChannelsTable()
    {
        var norm = new Normalization([0f, 0.5f], [1f, 1f]);
        byte[] image = [255, 0, 255, 0];
        var dst = new float[4];

        ImageTransforms.Apply(image, 2, 1, 2, norm.BuildLookup(), new SampleAugmentation(0, 0, true), dst);

        Assert.Equal([0f, 1f, -0.5f, 0.5f], dst);
    }

    [Fact]
    public void Apply_MatchesANaivePerPixelReference()
    {
        // Odd sizes, several channels, shifts beyond the image edge.
        const int C = 2, H = 3, W = 5;
        byte[] image = TestDataFiles.Pixels(C * H * W, 11);
        float[] lookup = new Normalization([0.1f, 0.7f], [0.3f, 0.2f]).BuildLookup();
        var dst = new float[C * H * W];
        for (int dy = -6; dy <= 6; dy++)
        {
            for (int dx = -7; dx <= 7; dx++)
            {
                foreach (bool flip in new[] { false, true })
                {
                    ImageTransforms.Apply(image, C, H, W, lookup, new SampleAugmentation(dy, dx, flip), dst);
                    for (int c = 0; c < C; c++)
                    {
                        for (int y = 0; y < H; y++)
                        {
                            for (int x = 0; x < W; x++)
                            {
                                int sy = y + dy, sx = (flip ? W - 1 - x : x) + dx;
                                byte v = sy >= 0 && sy < H && sx >= 0 && sx < W ? image[(c * H + sy) * W + sx] : (byte)0;
                                Assert.Equal(lookup[c * 256 + v], dst[(c * H + y) * W + x]);
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Draw_IsDeterministicAndCoversTheRange()
    {
        var options = new AugmentOptions { CropPadding = 2, Flip = true };
        var seen = new HashSet<(int, int)>();
        int flips = 0;
        for (int position = 0; position < 2000; position++)
        {
            var a = SampleAugmentation.Draw(options, 42, 3, position);
            Assert.Equal(a, SampleAugmentation.Draw(options, 42, 3, position));
            Assert.InRange(a.ShiftY, -2, 2);
            Assert.InRange(a.ShiftX, -2, 2);
            seen.Add((a.ShiftY, a.ShiftX));
            flips += a.Flip ? 1 : 0;
        }

        Assert.Equal(25, seen.Count);
        Assert.InRange(flips, 900, 1100);
        Assert.NotEqual(
            Enumerable.Range(0, 50).Select(p => SampleAugmentation.Draw(options, 42, 3, p)),
            Enumerable.Range(0, 50).Select(p => SampleAugmentation.Draw(options, 42, 4, p)));
    }

    [Fact]
    public void Draw_RespectsDisabledParts()
    {
        Assert.Equal(SampleAugmentation.Identity, SampleAugmentation.Draw(AugmentOptions.None, 1, 2, 3));
        for (int p = 0; p < 20; p++)
        {
            var flipOnly = SampleAugmentation.Draw(new AugmentOptions { Flip = true }, 1, 0, p);
            Assert.Equal((0, 0), (flipOnly.ShiftY, flipOnly.ShiftX));
            Assert.False(SampleAugmentation.Draw(new AugmentOptions { CropPadding = 3 }, 1, 0, p).Flip);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new AugmentOptions { CropPadding = -1 });
    }

    private static float[] Run(SampleAugmentation augmentation)
    {
        var dst = new float[16];
        ImageTransforms.Apply(s_image, 1, 4, 4, s_identity, augmentation, dst);
        return dst;
    }
}
