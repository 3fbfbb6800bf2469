using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Microsoft.Graph;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// The only code that builds and sends Graph requests. Calls that do not depend on each other go
    /// out together: one call alone, several in one JSON batch (up to 20). Throttling is waited out:
    /// the SDK's retry handler does it for direct calls, <see cref="ExecuteAsync"/> for the steps of a
    /// batch, each of which Graph answers with its own status and Retry-After.
    /// </summary>
    public sealed partial class GraphGateway
    {
        /// <summary>Graph's documented limit of requests in one JSON batch.</summary>
        internal const int MaxBatchSize = 20;

        private readonly GraphServiceClient _client;
        private readonly HttpClient _http;

        internal GraphGateway(GraphServiceClient client, HttpClient http)
        {
            _client = client;
            _http = http;
        }

        /// <summary>How often a throttled batch step is sent again before its error is reported.</summary>
        public int MaxRetries { get; set; } = 5;

        /// <summary>The longest wait honoured from a Retry-After header.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(180);

        /// <summary>
        /// How often a request whose connection failed (reset, dropped) is sent again. Safe for
        /// every request the module makes but addPassword (<see cref="GraphCall.Resendable"/>): reads; PATCHes that send the whole collection; a POST of
        /// a service principal or consent that already happened answers "exists", which counts as done.
        /// </summary>
        public int NetworkRetries { get; set; } = 3;

        /// <summary>The pause before the first resend after a connection failure (it grows by as much each time).</summary>
        public TimeSpan NetworkRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How long a new service principal may take to become readable (replication).</summary>
        public TimeSpan ReplicationTimeout { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>GET /organization: the tenant id, its name and its initial *.onmicrosoft.com domain.</summary>
        public async Task<OrganizationInfo> GetOrganizationAsync(CancellationToken cancellationToken)
        {
            var call = OrganizationCall("organization");
            var reply = (await ExecuteAsync(new[] { call }, cancellationToken).ConfigureAwait(false))[call.Id];
            return await ReadOrganizationAsync(reply, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Sends the calls in one round trip and returns every reply by call id. Unsuccessful replies
        /// are returned, not thrown: what a 404 or a 400 means depends on the step.
        /// </summary>
        internal async Task<IReadOnlyDictionary<string, GraphReply>> ExecuteAsync(IReadOnlyList<GraphCall> calls, CancellationToken cancellationToken)
        {
            if (calls.Count == 0) return new Dictionary<string, GraphReply>();
            if (calls.Count > MaxBatchSize) throw new ArgumentException($"At most {MaxBatchSize} calls go in one batch.", nameof(calls));
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        if (calls.Count == 1)
                            return new Dictionary<string, GraphReply> { [calls[0].Id] = await SendDirectAsync(calls[0], cancellationToken).ConfigureAwait(false) };
                        return await SendBatchAsync(calls, cancellationToken).ConfigureAwait(false);
                    }
                    catch (HttpRequestException e) when (attempt <= NetworkRetries && !cancellationToken.IsCancellationRequested && !IsRefused(e) && calls.All(c => c.Resendable))
                    {
                        var pause = TimeSpan.FromTicks(NetworkRetryDelay.Ticks * attempt);
                        OperationScope.Log.Verbose($"The connection to Graph failed ({e.Message}); sending again in {pause.TotalSeconds:0.#} s (attempt {attempt + 1}).");
                        await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (!(e is DropzoneException))
            {
                throw ErrorTranslator.Translate(e, calls[0].Operation);
            }
        }

        private async Task<GraphReply> SendDirectAsync(GraphCall call, CancellationToken cancellationToken)
        {
            // The adapter signs the request (our token provider); the HTTP pipeline retries
            // throttled answers and logs each attempt.
            call.Rewind();
            // A call that must not be sent twice: the SDK's retry handler resends a 429 only (Graph made nothing then).
            if (!call.Resendable) call.Request.AddRequestOptions(new[] { OnlyThrottledResent });
            using (var request = await _client.RequestAdapter.ConvertToNativeRequestAsync<HttpRequestMessage>(call.Request, cancellationToken).ConfigureAwait(false))
            using (var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                return await GraphReply.FromAsync(response).ConfigureAwait(false);
            }
        }

        private static readonly Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options.RetryHandlerOption OnlyThrottledResent =
            new Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options.RetryHandlerOption { ShouldRetry = (delay, attempt, response) => (int)response.StatusCode == 429 };

        private async Task<IReadOnlyDictionary<string, GraphReply>> SendBatchAsync(IReadOnlyList<GraphCall> calls, CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            var replies = new Dictionary<string, GraphReply>();
            var pending = calls.ToList();
            for (var attempt = 0; ; attempt++)
            {
                var batch = new BatchRequestContentCollection(_client);
                foreach (var call in pending)
                {
                    call.Rewind();
                    await batch.AddBatchRequestStepAsync(call.Request, call.Id).ConfigureAwait(false);
                }
                var result = await _client.Batch.PostAsync(batch, cancellationToken).ConfigureAwait(false);
                var statuses = await result.GetResponsesStatusCodesAsync().ConfigureAwait(false);

                var again = new List<GraphCall>();
                var wait = TimeSpan.Zero;
                foreach (var call in pending)
                {
                    if (!statuses.ContainsKey(call.Id))
                        throw DropzoneErrors.BatchReplyMissing(call.Label);
                    GraphReply reply;
                    using (var response = await result.GetResponseByIdAsync(call.Id).ConfigureAwait(false))
                        reply = await GraphReply.FromAsync(response).ConfigureAwait(false);
                    log.Verbose($"  batch step {call.Label} -> {reply.Status}{(reply.RequestId == null ? string.Empty : $" (request-id {reply.RequestId})")}");
                    if (reply.IsTransient && attempt < MaxRetries && (call.Resendable || reply.Status == 429))
                    {
                        again.Add(call);
                        var delay = reply.RetryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
                        if (delay > wait) wait = delay;
                    }
                    else
                    {
                        replies[call.Id] = reply;
                    }
                }
                if (again.Count == 0) return replies;
                if (wait > MaxRetryAfter) wait = MaxRetryAfter;
                log.Verbose($"Graph throttled {again.Count} batch step(s): waiting {wait.TotalSeconds:0.#} s as Retry-After asks, then sending them again.");
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                pending = again;
            }
        }

        // Nothing listens there: sending again will not help (a wrong -GraphEndpoint, say).
        private static bool IsRefused(Exception e)
        {
            for (var inner = e; inner != null; inner = inner.InnerException)
                if (inner is System.Net.Sockets.SocketException socket && socket.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused) return true;
            return false;
        }
    }
}
