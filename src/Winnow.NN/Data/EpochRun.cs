using System.Runtime.ExceptionServices;

namespace Winnow.NN.Data;

/// <summary>
/// One epoch being enumerated. With prefetch, a producer thread takes free buffers, assembles
/// batches in order and queues them; the consumer hands its current buffer back only when it asks
/// for the next batch (or disposes), so a batch it holds is never overwritten. Without prefetch,
/// <see cref="MoveNext"/> assembles into the single buffer on the caller's thread.
/// </summary>
internal sealed class EpochRun : IDisposable
{
    private readonly DataLoader _loader;
    private readonly int _batches;
    private readonly object _gate = new();
    private readonly Queue<BatchSlot> _free = new();
    private readonly Queue<BatchSlot> _ready = new();
    private BatchSlot? _held;
    private Thread? _producer;
    private bool _stop;
    private bool _producerDone;
    private Exception? _error;
    private int _next;
    private bool _disposed;

    public EpochRun(DataLoader loader, int epoch)
    {
        _loader = loader;
        EpochNumber = epoch;
        _batches = loader.BatchesPerEpoch;
    }

    public int EpochNumber { get; }

    public Batch? Current { get; private set; }

    private bool Prefetching => _loader.Slots.Length > 1;

    public void Start()
    {
        _loader.FillOrder(EpochNumber, _loader.Order);
        if (!Prefetching)
        {
            return;
        }

        foreach (var slot in _loader.Slots)
        {
            _free.Enqueue(slot);
        }

        _producer = new Thread(Produce) { IsBackground = true, Name = $"Winnow DataLoader epoch {EpochNumber}" };
        _producer.Start();
    }

    public bool MoveNext()
    {
        if (!Prefetching)
        {
            if (_next >= _batches)
            {
                Current = null;
                return false;
            }

            var slot = _loader.Slots[0];
            _loader.Assemble(slot, _next++, EpochNumber);
            Current = slot.ToBatch();
            return true;
        }

        Exception? error;
        lock (_gate)
        {
            ReleaseHeld();
            while (_ready.Count == 0 && !_producerDone)
            {
                Monitor.Wait(_gate);
            }

            if (_ready.Count > 0)
            {
                _held = _ready.Dequeue();
                Current = _held.ToBatch();
                return true;
            }

            Current = null;
            error = _error;
        }

        if (error is not null)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }

        return false;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_gate)
        {
            _stop = true;
            ReleaseHeld();
            Monitor.PulseAll(_gate);
        }

        // Wait for the producer, so no buffer is written after the epoch is over.
        if (_producer is not null && _producer != Thread.CurrentThread)
        {
            _producer.Join();
        }

        Current = null;
        _loader.EndRun(this);
    }

    private void ReleaseHeld()
    {
        if (_held is not null)
        {
            _free.Enqueue(_held);
            _held = null;
            Monitor.PulseAll(_gate);
        }
    }

    private void Produce()
    {
        try
        {
            for (int b = 0; b < _batches; b++)
            {
                BatchSlot slot;
                lock (_gate)
                {
                    while (_free.Count == 0 && !_stop)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_stop)
                    {
                        return;
                    }

                    slot = _free.Dequeue();
                }

                _loader.Assemble(slot, b, EpochNumber);
                lock (_gate)
                {
                    _ready.Enqueue(slot);
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _error = e;
            }
        }
        finally
        {
            lock (_gate)
            {
                _producerDone = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
