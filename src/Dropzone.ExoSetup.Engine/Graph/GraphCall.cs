using Microsoft.Kiota.Abstractions;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>One Graph request the gateway will send, alone or inside a JSON batch.</summary>
    internal sealed class GraphCall
    {
        public GraphCall(string id, RequestInformation request, GraphOperation operation)
        {
            Id = id;
            Request = request;
            Operation = operation;
        }

        /// <summary>The batch step id; also how the caller finds the reply.</summary>
        public string Id { get; }

        public RequestInformation Request { get; }

        /// <summary>What the call is for: named in errors, with the permissions it needs.</summary>
        public GraphOperation Operation { get; }

        public string Label => $"{Request.HttpMethod.ToString().ToUpperInvariant()} {Request.URI.PathAndQuery}";
    }
}
