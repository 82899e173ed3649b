using Winnow.NN;
using Winnow.NN.Optim;
using Winnow.Testing;
using static Winnow.NN.Tests.Optim.OptimTestData;

namespace Winnow.NN.Tests.Optim;

public class MomentumAccessTests
{
    [Fact]
    public void Sgd_BufferIsNullBeforeFirstStep_ThenLiveAndWritable()
    {
        var p = Param("w", 0f, 0f);
        IHasMomentum sgd = new Sgd([p], lr: 0.1, momentum: 0.5);
        Assert.Null(sgd.GetMomentumBuffer(p));
        Grad(p, 1f, 1f);
        ((Optimizer)sgd).Step();

        var v = sgd.GetMomentumBuffer(p)!;
        v.Data[1] = 10f; // an element-wise write reaches the optimizer's state
        ((Optimizer)sgd).Step();

        // v = 0.5·[1, 10] + [1, 1] = [1.5, 6]
        TensorAssert.Close([1.5f, 6f], sgd.GetMomentumBuffer(p)!.Data, atol: 0f, rtol: 0f);
    }

    [Fact]
    public void Sgd_ResetMomentum_ZeroesOnlyMaskedElements()
    {
        var p = Param("w", 0f, 0f, 0f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);
        sgd.ResetMomentum(p, [true, false, true]); // no state yet: nothing to do
        Grad(p, 1f, 2f, 3f);
        sgd.Step();
        sgd.ResetMomentum(p, [true, false, true]);
        TensorAssert.Close([0f, 2f, 0f], sgd.GetMomentumBuffer(p)!.Data, atol: 0f, rtol: 0f);
    }

    [Fact]
    public void Adam_MomentumIsExpAvg_AndResetZeroesBothMoments()
    {
        var p = Param("w", 0f, 0f);
        var adam = new Adam([p]);
        IHasMomentum hasMomentum = adam;
        Grad(p, 1f, -2f);
        adam.Step();

        // m = (1 − 0.9)·g = [0.1, −0.2]
        Assert.Same(adam.GetExpAvg(p), hasMomentum.GetMomentumBuffer(p));
        TensorAssert.Close([0.1f, -0.2f], hasMomentum.GetMomentumBuffer(p)!.Data, atol: 1e-7f);

        hasMomentum.ResetMomentum(p, [false, true]);
        TensorAssert.Close([0.1f, 0f], adam.GetExpAvg(p)!.Data, atol: 1e-7f);
        TensorAssert.Close([0.001f, 0f], adam.GetExpAvgSq(p)!.Data, atol: 1e-9f);
    }

    [Fact]
    public void UnmanagedParameter_OrWrongMaskLength_Throw()
    {
        var p = Param("w", 0f, 0f);
        var stranger = Param("stranger", 0f);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);
        var adam = new Adam([p]);

        Assert.Contains("'stranger'", Assert.Throws<ArgumentException>(() => sgd.GetMomentumBuffer(stranger)).Message);
        Assert.Contains("'stranger'", Assert.Throws<ArgumentException>(() => adam.GetMomentumBuffer(stranger)).Message);
        Assert.Contains("mask has 3 elements", Assert.Throws<ArgumentException>(() => sgd.ResetMomentum(p, [true, true, true])).Message);
        Assert.Contains("mask has 1 elements", Assert.Throws<ArgumentException>(() => adam.ResetMomentum(p, [true])).Message);
    }
}
