namespace Winnow.Core.Tests;

public sealed class TensorTests
{
    [Fact]
    public void ReshapeSharesStorageAndInfersDimension()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var v = t.Reshape(3, -1);
        Assert.Equal([3, 2], v.Shape.ToArray());
        v.Data[5] = 60;
        Assert.Equal(60, t.Data[5]);
    }

    [Fact]
    public void ReshapeWithWrongCountNamesBothShapes()
    {
        var t = new Tensor(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => t.Reshape(4, 2));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 2]", ex.Message);
    }

    [Fact]
    public void SliceBatchIsAViewOfTheRows()
    {
        var t = Tensor.FromArray([0, 1, 2, 3, 4, 5, 6, 7], 4, 2);
        var s = t.SliceBatch(1, 2);
        Assert.Equal([2, 2], s.Shape.ToArray());
        Assert.Equal([2f, 3, 4, 5], s.ToArray());
        s.Data[0] = -1;
        Assert.Equal(-1, t.Data[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SliceBatch(3, 2));
    }

    [Fact]
    public void NegativeDimensionIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tensor(2, -1));
        Assert.Contains("negative", ex.Message);
    }

    [Fact]
    public void ScopeReleasesTensorsAndAccessAfterwardsThrows()
    {
        Tensor inside;
        Tensor kept;
        using (var scope = TensorScope.Begin())
        {
            inside = Tensor.Zeros(4);
            kept = scope.Keep(Tensor.Full(3f, 4));
        }

        var ex = Assert.Throws<ObjectDisposedException>(() => inside.Data[0]);
        Assert.Contains("Keep", ex.Message);
        Assert.Equal(3f, kept.Data[0]);
    }

    [Fact]
    public void ViewOfAReleasedTensorAlsoThrows()
    {
        Tensor view;
        using (TensorScope.Begin())
        {
            view = Tensor.Zeros(2, 2).Reshape(4);
        }

        Assert.Throws<ObjectDisposedException>(() => view.Data[0]);
    }

    [Fact]
    public void SecondScopeReusesPooledBuffersInsteadOfAllocating()
    {
        static void Step()
        {
            using var scope = TensorScope.Begin();
            var a = Tensor.Zeros(100_000);
            var b = Tensor.Zeros(50_000);
            a.Data[0] = b.Data[0] + 1;
        }

        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Two fresh arrays would be 600 kB; reuse leaves only small bookkeeping objects.
        Assert.True(allocated < 20_000, $"allocated {allocated} bytes in the second scope");
    }

    [Fact]
    public void ZerosInsideScopeAreZeroEvenWhenTheBufferIsReused()
    {
        using (TensorScope.Begin())
        {
            Tensor.Full(7f, 33);
        }

        using (TensorScope.Begin())
        {
            Assert.All(Tensor.Zeros(33).ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void ItemNeedsOneElement()
    {
        Assert.Equal(2.5f, Tensor.Scalar(2.5f).Item());
        var ex = Assert.Throws<InvalidOperationException>(() => new Tensor(2).Item());
        Assert.Contains("[2]", ex.Message);
    }
}
