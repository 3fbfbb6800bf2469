using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Diagnostics;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// Collects what the engine reports from worker threads; the cmdlet drains it on the pipeline
    /// thread, the only thread allowed to write to PowerShell's streams.
    /// </summary>
    internal sealed class PipelineLog : IOperationLog
    {
        private readonly BlockingCollection<Action<Cmdlet>> _pending = new BlockingCollection<Action<Cmdlet>>();

        public void Verbose(string message) => Enqueue(c => c.WriteVerbose(message));
        public void Debug(string message) => Enqueue(c => c.WriteDebug(message));
        public void Warning(string message) => Enqueue(c => c.WriteWarning(message));

        public void Progress(OperationProgress progress) => Enqueue(c => c.WriteProgress(ToRecord(progress)));

        internal static ProgressRecord ToRecord(OperationProgress progress) =>
            new ProgressRecord(progress.ActivityId, progress.Activity, string.IsNullOrEmpty(progress.Status) ? progress.Activity : progress.Status)
            {
                PercentComplete = progress.PercentComplete,
                SecondsRemaining = progress.SecondsRemaining,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };

        /// <summary>
        /// On the pipeline thread: writes each entry as it arrives until <see cref="Complete"/> has
        /// been called and everything queued before it is written.
        /// </summary>
        public void WriteUntilComplete(Cmdlet cmdlet)
        {
            foreach (var write in _pending.GetConsumingEnumerable()) write(cmdlet);
        }

        /// <summary>
        /// On the pipeline thread: writes each entry as it arrives until <paramref name="until"/> has
        /// ended (or the operation has); the rest is written later by <see cref="WriteUntilComplete"/>.
        /// </summary>
        public void WriteUntil(Cmdlet cmdlet, System.Threading.Tasks.Task until)
        {
            using (var ended = new System.Threading.CancellationTokenSource())
            {
                until.ContinueWith(_ => { try { ended.Cancel(); } catch (ObjectDisposedException) { } }, System.Threading.CancellationToken.None,
                    System.Threading.Tasks.TaskContinuationOptions.ExecuteSynchronously, System.Threading.Tasks.TaskScheduler.Default);
                try
                {
                    while (!until.IsCompleted && _pending.TryTake(out var write, System.Threading.Timeout.Infinite, ended.Token)) write(cmdlet);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        /// <summary>The operation has ended: nothing more will be written.</summary>
        public void Complete() => _pending.CompleteAdding();

        private void Enqueue(Action<Cmdlet> write)
        {
            // A report that arrives after the operation ended (a late callback) has nowhere to go.
            try
            {
                _pending.Add(write);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
