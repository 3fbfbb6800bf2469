using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Graph
{
    public sealed partial class GraphGateway
    {
        private const string VerifyCallId = "verify";
        private static readonly Random PauseRandom = new Random();

        /// <summary>How often a write that another writer undid is made again before ConcurrentUpdate.</summary>
        public int MaxWriteRedos { get; set; } = 4;

        /// <summary>
        /// The longest random pause before the first redo; it doubles for each further one, so runs
        /// that met once spread apart instead of meeting again.
        /// </summary>
        public TimeSpan RedoPause { get; set; } = TimeSpan.FromMilliseconds(300);

        /// <summary>The longest wait before a read that checks a write (it waits as long as the write took).</summary>
        public TimeSpan MaxVerifyDelay { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>The read that checks a write; it travels with the consent when one follows the write.</summary>
        private GraphCall VerifyCall(ApplicationState state) => ApplicationCall(VerifyCallId, state.AppId);

        private GraphCall PatchCall(ApplicationState state, Application patch) =>
            new GraphCall("patch", _client.Applications[state.ObjectId].ToPatchRequestInformation(patch), GraphOperations.UpdateApplication);

        /// <summary>
        /// Graph has no ETag on applications and a PATCH replaces the whole collection, so another
        /// writer's PATCH that lands after ours, from a list read before ours, silently undoes it.
        /// This reads the app back (or takes <paramref name="verified"/>, the read that went with the
        /// consent) and checks that what the write added is there and what it kept still is. When ours
        /// was undone: a short random pause, read, merge, write again, up to <see cref="MaxWriteRedos"/>
        /// times, then ConcurrentUpdate naming what was lost. What we kept and is gone is a warning that
        /// names it: someone removed it, and this run does not put it back. Returns the app as read last.
        /// </summary>
        private async Task<ApplicationState> VerifyWriteAsync(ApplicationState before, Application patch, GraphReply verified, TimeSpan writeTook,
            CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            var intent = WriteIntent.From(before, patch);
            for (var redo = 0; ; redo++)
            {
                if (verified == null)
                {
                    await Task.Delay(VerifyDelay(writeTook), cancellationToken).ConfigureAwait(false);
                    var call = VerifyCall(before);
                    verified = (await ExecuteAsync(new[] { call }, cancellationToken).ConfigureAwait(false))[call.Id];
                }
                var now = new ApplicationState(await ReadApplicationReplyAsync(verified, before.AppId, cancellationToken).ConfigureAwait(false), null, null, null, null);
                var check = intent.Check(now);
                if (check.Vanished.Count > 0)
                    log.Warning($"{string.Join("; ", check.Vanished)}: kept by this run's write to {intent.AppName}, but no longer on it. " +
                        "Another writer removed it, or its write and ours crossed and ours erased it. This run does not put it back: check with whoever else changes the app.");
                if (check.Complete) return now;
                if (redo == MaxWriteRedos)
                    throw DropzoneErrors.ConcurrentUpdate(intent.AppName, before.AppId, redo + 1, check.Lost);

                var pause = RandomPause(redo);
                log.Verbose($"Another writer undid this run's write to {intent.AppName} ({string.Join("; ", check.Lost)} missing): reading, merging and writing again in {pause.TotalMilliseconds:0} ms ({redo + 1} of {MaxWriteRedos}).");
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                var fresh = await ReadApplicationAsync(before.AppId, ApplicationParts.Application, cancellationToken).ConfigureAwait(false);
                intent = intent.Rebase(fresh, out var merged);
                // Another writer may have written ours meanwhile (the same certificate, say): done then.
                if (intent.Check(fresh).Complete) return fresh;
                var watch = Stopwatch.StartNew();
                var write = PatchCall(before, merged);
                var reply = (await ExecuteAsync(new[] { write }, cancellationToken).ConfigureAwait(false))[write.Id];
                if (!reply.IsSuccess) throw reply.ToException(GraphOperations.UpdateApplication);
                writeTook = watch.Elapsed;
                verified = null;
            }
        }

        // The wait before the read that checks a write: as long as the write took (at most
        // MaxVerifyDelay). A writer who read before our write and is as quick as we are has written
        // by then, so the read sees what that writer did to ours.
        private TimeSpan VerifyDelay(TimeSpan writeTook) => writeTook < MaxVerifyDelay ? writeTook : MaxVerifyDelay;

        // Full jitter: anywhere from nothing to RedoPause * 2^redo.
        private TimeSpan RandomPause(int redo)
        {
            double share;
            lock (PauseRandom) share = PauseRandom.NextDouble();
            return TimeSpan.FromMilliseconds(RedoPause.TotalMilliseconds * (1 << Math.Min(redo, 10)) * share);
        }
    }
}
