using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Planning;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// The cmdlet as the engine's step routines see it (PSResourceGet's InstallHelper takes its
    /// cmdlet the same way): -WhatIf/-Confirm, engine work off the pipeline thread, and a log that
    /// writes on it.
    /// </summary>
    internal sealed class CmdletStepHost : IStepHost
    {
        private readonly DropzoneCmdlet _cmdlet;

        public CmdletStepHost(DropzoneCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
            Log = new DirectLog(cmdlet);
        }

        public List<PlannedChange> Approve(IEnumerable<PlannedChange> changes) => _cmdlet.Approve(changes);
        public bool WhatIfRequested => _cmdlet.WhatIfRequested;
        public bool WhatIf => _cmdlet.IsWhatIf();
        public T Await<T>(Task<T> value) => _cmdlet.Await(value);
        public T Run<T>(Func<CancellationToken, Task<T>> work, Action alongside = null) => _cmdlet.Run(work, alongside);
        public IOperationLog Log { get; }
        public CancellationToken Cancellation => _cmdlet.StopToken;
    }
}
