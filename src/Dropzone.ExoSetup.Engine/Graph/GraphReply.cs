using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Errors;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>One Graph answer, direct or from inside a batch: status, body, request-id.</summary>
    internal sealed class GraphReply
    {
        private GraphReply(int status, string body, string requestId, TimeSpan? retryAfter)
        {
            Status = status;
            Body = body;
            RequestId = requestId;
            RetryAfter = retryAfter;
        }

        public int Status { get; }
        public string Body { get; }
        public string RequestId { get; }
        public TimeSpan? RetryAfter { get; }
        public bool IsSuccess => Status >= 200 && Status < 300;

        /// <summary>429 and 503/504: Graph asks to come back later (concepts/throttling.md).</summary>
        public bool IsTransient => Status == 429 || Status == 503 || Status == 504;

        public static async Task<GraphReply> FromAsync(HttpResponseMessage response)
        {
            var body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var requestId = Header(response, "request-id");
            TimeSpan? retryAfter = null;
            if (response.Headers.RetryAfter?.Delta is TimeSpan delta) retryAfter = delta;
            else if (int.TryParse(Header(response, "Retry-After"), out var seconds)) retryAfter = TimeSpan.FromSeconds(seconds);
            return new GraphReply((int)response.StatusCode, body, requestId, retryAfter);
        }

        public Task<T> ReadAsync<T>(ParsableFactory<T> factory, CancellationToken cancellationToken) where T : IParsable =>
            KiotaJsonSerializer.DeserializeAsync(Body, factory, cancellationToken);

        /// <summary>Graph's error (code, message) when the body is Graph's error shape.</summary>
        public (string Code, string Message) Error()
        {
            try
            {
                var error = KiotaJsonSerializer.DeserializeAsync(Body, ODataError.CreateFromDiscriminatorValue).GetAwaiter().GetResult();
                return (error?.Error?.Code, error?.Error?.Message);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException || e is InvalidOperationException || e is FormatException)
            {
                return (null, Body);
            }
        }

        public DropzoneException ToException(GraphOperation operation)
        {
            var (code, message) = Error();
            return ErrorTranslator.FromGraphReply(Status, code, message, RequestId, operation);
        }

        private static string Header(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out var values)) return values.FirstOrDefault();
            if (response.Content != null && response.Content.Headers.TryGetValues(name, out values)) return values.FirstOrDefault();
            return null;
        }
    }
}
