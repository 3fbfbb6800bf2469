using System;
using System.Threading;

namespace Dropzone.ExoSetup.Engine.Diagnostics
{
    /// <summary>
    /// The log of the cmdlet call that is running now. A connection outlives the cmdlet calls that
    /// use it, so code deep in the HTTP pipeline finds the current call's log here; it flows with
    /// async work and is never shared between runspaces.
    /// </summary>
    public static class OperationScope
    {
        private static readonly AsyncLocal<IOperationLog> Current = new AsyncLocal<IOperationLog>();

        public static IOperationLog Log => Current.Value ?? NullOperationLog.Instance;

        public static IDisposable Begin(IOperationLog log)
        {
            var previous = Current.Value;
            Current.Value = log;
            return new Restore(previous);
        }

        private sealed class Restore : IDisposable
        {
            private readonly IOperationLog _previous;
            public Restore(IOperationLog previous) { _previous = previous; }
            public void Dispose() { Current.Value = _previous; }
        }
    }
}
