using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// What a step routine needs from the command that runs it (PowerShell's cmdlet in the module, a
    /// fake in the tests): the -WhatIf/-Confirm answers, a way to run Graph work off the caller's
    /// thread while Exchange calls stay on it, and a log written on the caller's thread.
    /// </summary>
    public interface IStepHost
    {
        /// <summary>
        /// Asks -WhatIf/-Confirm about each change, after checking the token allows them all
        /// (InsufficientPrivileges otherwise); returns the approved ones in order.
        /// </summary>
        List<PlannedChange> Approve(IEnumerable<PlannedChange> changes);

        /// <summary>True once a question was answered by -WhatIf: the run then writes nothing.</summary>
        bool WhatIfRequested { get; }

        /// <summary>-WhatIf (or $WhatIfPreference) is in effect: every write will be declined, so a step must read before it plans.</summary>
        bool WhatIf { get; }

        /// <summary>
        /// On the caller's thread, waits for <paramref name="value"/> (known to work that <see cref="Run"/>
        /// has in flight) while writing that work's reports; returns it, or rethrows its failure.
        /// </summary>
        T Await<T>(Task<T> value);

        /// <summary>
        /// Runs Graph work off the caller's thread and, meanwhile, <paramref name="alongside"/> on it
        /// (Exchange calls must stay there); returns the work's result or rethrows its failure.
        /// </summary>
        T Run<T>(Func<CancellationToken, Task<T>> work, Action alongside = null);

        /// <summary>Verbose, warning and progress on the caller's thread.</summary>
        IOperationLog Log { get; }

        /// <summary>Cancelled when the command is stopped (Ctrl+C).</summary>
        CancellationToken Cancellation { get; }
    }
}
