using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// What every cmdlet of the module shares, written once: engine work runs off the pipeline thread
    /// while its verbose, warning and progress reports are written on it; Ctrl+C cancels requests in
    /// flight; every engine error becomes an ErrorRecord with a stable ErrorId.
    /// </summary>
    public abstract class DropzoneCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>
        /// False (the default): a failure is reported for the input object at hand and the pipeline
        /// goes on with the next one. True: a failure stops the command (used where nothing after a
        /// failure makes sense, like Connect).
        /// </summary>
        protected virtual bool FailuresAreTerminating => false;

        /// <summary>The object errors are about when the engine does not name one.</summary>
        protected virtual object ErrorTarget => null;

        /// <summary>The cmdlet's work for one input object: bind, call the engine, write.</summary>
        protected virtual void ProcessRecordCore() { }

        protected sealed override void ProcessRecord() => Guard(ProcessRecordCore);

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Cancelled by Ctrl+C (StopProcessing): for waits on the pipeline thread.</summary>
        internal CancellationToken StopToken => _stopping.Token;

        /// <summary>
        /// Runs engine work on a worker thread and, meanwhile, writes its reports to this cmdlet's
        /// streams. Returns its result or rethrows its exception.
        /// </summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> operation) => Run(operation, null);

        /// <summary>
        /// Like <see cref="Run{T}(Func{CancellationToken, Task{T}})"/>, and meanwhile runs
        /// <paramref name="alongside"/> here on the pipeline thread (Exchange calls must stay on it),
        /// so that slow Exchange reads overlap the Graph work. The work's reports are written after
        /// it; its failure wins over one of <paramref name="alongside"/>.
        /// </summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> operation, Action alongside)
        {
            var log = new PipelineLog();
            var outer = _inFlight;
            _inFlight = log;
            var task = Task.Run(async () =>
            {
                using (OperationScope.Begin(log))
                {
                    return await operation(_stopping.Token).ConfigureAwait(false);
                }
            });
            task.ContinueWith(_ => log.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo alongsideFailure = null;
            if (alongside != null)
            {
                try
                {
                    alongside();
                }
                catch (Exception e)
                {
                    alongsideFailure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }
            }
            _inFlight = outer;
            log.WriteUntilComplete(this);
            var result = task.GetAwaiter().GetResult();
            alongsideFailure?.Throw();
            return result;
        }

        // The log of the work Run has in flight, for Await.
        private PipelineLog _inFlight;

        /// <summary>
        /// Here on the pipeline thread (inside the alongside action of <see cref="Run{T}(Func{CancellationToken, Task{T}}, Action)"/>):
        /// waits for a value the work in flight makes known, writing the work's reports meanwhile.
        /// </summary>
        internal T Await<T>(Task<T> value)
        {
            _inFlight?.WriteUntil(this, value);
            return value.GetAwaiter().GetResult();
        }

        private CmdletStepHost _steps;

        /// <summary>This cmdlet as the engine's step routines take it.</summary>
        internal Engine.Steps.IStepHost StepHost => _steps ?? (_steps = new CmdletStepHost(this));

        /// <summary>True once a ShouldProcess question was answered by -WhatIf: the command then writes no result.</summary>
        internal bool WhatIfRequested { get; private set; }

        internal static DateTimeOffset Now => DateTimeOffset.UtcNow;

        /// <summary>
        /// Asks -WhatIf/-Confirm about each planned change; returns the approved ones. First, before
        /// anything is asked or written, the token's scopes/roles are compared with what the Graph
        /// changes need: InsufficientPrivileges when they fall short (under -WhatIf a warning, and
        /// the plan is still shown).
        /// </summary>
        internal List<PlannedChange> Approve(IEnumerable<PlannedChange> changes)
        {
            var planned = changes.ToList();
            var claims = ApprovalClaims;
            var missing = RequiredPermissions.Missing(claims, planned.Select(c => c.Kind));
            if (missing.Count > 0)
            {
                var error = RequiredPermissions.Insufficient(claims, missing);
                if (!IsWhatIf()) throw error;
                WriteWarning(error.Message + " " + error.RecommendedAction);
            }

            var approved = new List<PlannedChange>();
            foreach (var change in planned)
            {
                if (ShouldProcess(change.Action + " on " + change.Target, change.Action + "?", change.Target, out var reason)) approved.Add(change);
                else if (reason == ShouldProcessReason.WhatIf) WhatIfRequested = true;
            }
            return approved;
        }

        /// <summary>The token whose permissions the planned Graph writes are checked against: the session's.</summary>
        internal virtual Engine.Connection.TokenClaims ApprovalClaims => GraphSessions.Current?.Claims;

        internal bool IsWhatIf() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
                ? ((SwitchParameter)whatIf).IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>
        /// The vendor's certificate from a file (a PowerShell path) or an object, checked by the
        /// certificate reader; a certificate not valid yet is installed with a warning.
        /// </summary>
        internal Engine.Certificates.VendorCertificate ReadVendorCertificate(string path, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string expectedThumbprint)
        {
            var now = Now;
            var read = path != null
                ? Engine.Certificates.CertificateReader.ReadFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), expectedThumbprint, now, WriteWarning)
                : Engine.Certificates.CertificateReader.FromCertificate(certificate, expectedThumbprint, now);
            if (read.IsNotYetValid(now))
                WriteWarning($"The certificate {read.Thumbprint} is not valid before {read.NotBefore:yyyy-MM-dd HH:mm} UTC; sign-ins with it fail until then.");
            return read;
        }

        /// <summary>The Exchange gateway, after checking that an Exchange Online session is connected.</summary>
        internal Engine.Exchange.IExchangeGateway ConnectedExchange()
        {
            var exchange = new ExchangeGateway(this);
            exchange.RequireConnection();
            return exchange;
        }

        /// <summary>The runspace's Graph connection, or GraphNotConnected telling how to make one.</summary>
        internal static GraphConnection RequireGraph() =>
            GraphSessions.Current ?? throw DropzoneErrors.GraphNotConnected();

        private void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (DropzoneException e)
            {
                Report(ErrorRecords.From(e, ErrorTarget));
            }
            catch (Exception e) when (!(e is RuntimeException) && !(e is OperationCanceledException))
            {
                // PowerShell's own exceptions (stop, -ErrorAction Stop) pass through untouched; any
                // other is a bug or an unmapped failure: report it rather than crash the pipeline.
                Report(ErrorRecords.Unexpected(e, ErrorTarget));
            }
        }

        private void Report(ErrorRecord record)
        {
            if (FailuresAreTerminating) ThrowTerminatingError(record);
            else WriteError(record);
        }
    }
}
