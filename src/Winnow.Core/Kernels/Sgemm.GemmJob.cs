using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Winnow.Kernels;

public static partial class Sgemm
{
    /// <summary>
    /// State of one <see cref="GemmBlocked"/> call, cached per calling thread with its packing
    /// buffers and the two phase delegates, so a call allocates nothing once the buffers have grown.
    /// Raw pointers are only valid between <see cref="Begin"/> and <see cref="End"/>, while the caller
    /// holds the spans fixed; bodies run synchronously inside that window.
    /// </summary>
    private sealed unsafe class GemmJob
    {
        [ThreadStatic] private static GemmJob? t_job;

        private readonly Action<int> _packBody;
        private readonly Action<int> _computeBody;
        private float[] _aBuffer = [];
        private float[] _bBuffer = [];
        private float* _aPack;
        private float* _bPack;

        private bool _transA, _transB, _packA, _packB, _loadC;
        private int _m, _n, _threads;
        private float _alpha, _betaEff;
        private float* _a, _b, _c;
        private nint _lda, _ldb, _ldc;

        // The current block: rows [_ic, _ic + _mo), columns [_jc, _jc + _nc), depth [_pc, _pc + _kc).
        private int _ic, _mo, _jc, _nc, _pc, _kc;
        private int _rowPanels, _colPanels, _aTasks, _bTasks, _mBlocks, _nBlocks;

        private GemmJob()
        {
            _packBody = Pack;
            _computeBody = Compute;
        }

        public static GemmJob ForCurrentThread => t_job ??= new GemmJob();

        public void Begin(bool transA, bool transB, int m, int n, float alpha, float* a, nint lda, float* b, nint ldb,
            float* c, nint ldc, bool packA, bool packB, int threads, int kcMax)
        {
            (_transA, _transB, _m, _n, _alpha, _lda, _ldb, _ldc) = (transA, transB, m, n, alpha, lda, ldb, ldc);
            _a = a;
            _b = b;
            _c = c;
            (_packA, _packB, _threads) = (packA, packB, threads);
            int aRows = packA ? RoundUp(Math.Min(m, MO), MR) : MR;
            int bCols = packB ? RoundUp(Math.Min(n, NC), NR) : NR;
            _aPack = Grow(ref _aBuffer, (long)aRows * kcMax);
            _bPack = Grow(ref _bBuffer, (long)bCols * kcMax);
        }

        public void End()
        {
            _a = _b = _c = null;
        }

        public void RunBlock(int ic, int mo, int jc, int nc, int pc, int kc, bool packBPanels, bool loadC, float betaEff)
        {
            (_ic, _mo, _jc, _nc, _pc, _kc, _loadC, _betaEff) = (ic, mo, jc, nc, pc, kc, loadC, betaEff);
            _rowPanels = (mo + MR - 1) / MR;
            _colPanels = (nc + NR - 1) / NR;

            // Phase 1: packing. Unpacked operands still pack their ragged last panel (zero-padded).
            _aTasks = _packA ? Math.Min(_rowPanels, _threads) : (mo % MR != 0 ? 1 : 0);
            _bTasks = !packBPanels ? 0 : _packB ? Math.Min(_colPanels, _threads) : (nc % NR != 0 ? 1 : 0);
            Run(_aTasks + _bTasks, _packBody);

            // Phase 2: disjoint blocks of C, at most MC rows tall so an A block stays in L2. With
            // several threads, aim for two blocks per thread (split columns when rows run short), so a
            // helper that starts late leaves the caller with work to take over instead of a wait.
            _mBlocks = (_rowPanels * MR + MC - 1) / MC;
            _nBlocks = 1;
            if (_threads > 1)
            {
                if (_mBlocks >= _threads)
                {
                    _mBlocks = Math.Min(_rowPanels, RoundUp(_mBlocks, _threads));
                }
                else
                {
                    _nBlocks = Math.Min(_colPanels, (2 * _threads + _mBlocks - 1) / _mBlocks);
                }
            }

            Run(_mBlocks * _nBlocks, _computeBody);
        }

        private void Run(int count, Action<int> body)
        {
            if (_threads == 1 || count == 1)
            {
                for (int t = 0; t < count; t++)
                {
                    body(t);
                }
            }
            else
            {
                Parallelism.For(count, body);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Pack(int task)
        {
            if (task < _aTasks)
            {
                int q0 = _packA ? Split(_rowPanels, _aTasks, task) : _rowPanels - 1;
                int q1 = _packA ? Split(_rowPanels, _aTasks, task + 1) : _rowPanels;
                int rows = Math.Min(_mo, q1 * MR) - q0 * MR;
                float* dst = _aPack + (_packA ? (nint)q0 * MR * _kc : 0);
                PackA(_transA, _a, _lda, _ic + q0 * MR, rows, _pc, _kc, dst);
            }
            else
            {
                task -= _aTasks;
                int s0 = _packB ? Split(_colPanels, _bTasks, task) : _colPanels - 1;
                int s1 = _packB ? Split(_colPanels, _bTasks, task + 1) : _colPanels;
                int cols = Math.Min(_nc, s1 * NR) - s0 * NR;
                float* dst = _bPack + (_packB ? (nint)s0 * NR * _kc : 0);
                PackB(_transB, _b, _ldb, _jc + s0 * NR, cols, _pc, _kc, dst);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Compute(int task)
        {
            int ib = task % _mBlocks, jb = task / _mBlocks;
            int q0 = Split(_rowPanels, _mBlocks, ib), q1 = Split(_rowPanels, _mBlocks, ib + 1);
            int s0 = Split(_colPanels, _nBlocks, jb), s1 = Split(_colPanels, _nBlocks, jb + 1);
            int kc = _kc;
            float alpha = _alpha, beta = _betaEff;
            bool loadC = _loadC;
            for (int s = s0; s < s1; s++)
            {
                int j = _jc + s * NR;
                int nr = Math.Min(NR, _n - j);
                float* bp;
                nint rsB;
                if (_packB || nr < NR)
                {
                    bp = _bPack + (_packB ? (nint)s * NR * kc : 0);
                    rsB = NR;
                }
                else
                {
                    bp = _b + _pc * _ldb + j;
                    rsB = _ldb;
                }

                for (int q = q0; q < q1; q++)
                {
                    int i = _ic + q * MR;
                    int mr = Math.Min(MR, _m - i);
                    float* ap;
                    nint rsA, csA;
                    if (_packA || mr < MR)
                    {
                        ap = _aPack + (_packA ? (nint)q * MR * kc : 0);
                        (rsA, csA) = (1, MR);
                    }
                    else if (_transA)
                    {
                        ap = _a + _pc * _lda + i;
                        (rsA, csA) = (1, _lda);
                    }
                    else
                    {
                        ap = _a + i * _lda + _pc;
                        (rsA, csA) = (_lda, 1);
                    }

                    float* cp = _c + i * _ldc + j;
                    if (mr == MR && nr == NR)
                    {
                        MicroKernel(kc, ap, rsA, csA, bp, rsB, cp, _ldc, alpha, beta, loadC);
                    }
                    else
                    {
                        MicroKernelEdge(mr, nr, kc, ap, rsA, csA, bp, rsB, cp, _ldc, alpha, beta, loadC);
                    }
                }
            }
        }

        /// <summary>Start of part <paramref name="index"/> when <paramref name="total"/> items are cut into <paramref name="parts"/> near-equal parts.</summary>
        private static int Split(int total, int parts, int index) => (int)((long)total * index / parts);

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

        /// <summary>Grows a pinned buffer to hold <paramref name="floats"/> and returns its 64-byte-aligned start.</summary>
        private static float* Grow(ref float[] buffer, long floats)
        {
            const int Slack = 16;
            if (buffer.Length < floats + Slack)
            {
                buffer = GC.AllocateUninitializedArray<float>(checked((int)(floats + Slack)), pinned: true);
            }

            nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            return (float*)((start + 63) & ~(nint)63);
        }
    }
}
