// The code of the Install/Quick start documentation: each #region below is copied verbatim into a ```csharp block of
// src/Aha.Client/PACKAGE.md (the package's README) and docs/packaging.md, marked <!-- snippet: ... -->.
// tests/Aha.Client.Tests/Docs/DocSnippetSyncTests.cs fails when a block and its region differ, and
// build/consumer-check.sh builds and runs this file against the packed package, so the documented code is the code
// that runs. Edit here first, then paste into the docs (the test prints the expected text).
#region usings
using Aha.Client;
using Aha.Client.Configuration;
using Aha.Client.Resilience;
using Microsoft.Extensions.DependencyInjection;
#endregion

namespace Aha.Client.Sample;

public static class QuickStart
{
    public static AhaClient CreateForAccount()
    {
        #region create-client
        // Without dependency injection: the full pipeline (auth, rate limiting, retries, typed errors, telemetry).
        var aha = new AhaClient(new AhaClientOptions
        {
            Account = "yourcompany",                                   // https://yourcompany.aha.io/api/v1/
            Token = Environment.GetEnvironmentVariable("AHA_TOKEN"),   // API key or OAuth2 access token
            UserAgent = "Roadmap sync (ops@example.com)",              // Aha! asks for a contact
        });
        #endregion
        return aha;
    }

    public static AhaClient CreateForServer(Uri baseUrl, string token)
    {
        #region create-client-base-url
        // Another server (a local fake such as Aha.Sandbox, a proxy): BaseUrl instead of Account.
        var aha = new AhaClient(new AhaClientOptions { BaseUrl = baseUrl, Token = token, UserAgent = "Roadmap sync (ops@example.com)" });
        #endregion
        return aha;
    }

    public static async Task<string> FirstCallsAsync(AhaClient aha)
    {
        #region first-calls
        // One page, typed; optional query parameters go in the operation's options object.
        var page = await aha.Features.ListByProductAsync("PRJ1", new FeaturesListByProductOptions { PerPage = 200, UpdatedSince = DateTimeOffset.UtcNow.AddDays(-7) });
        Console.WriteLine($"{page.Pagination?.TotalRecords} features changed this week");

        // Every record, paged for you.
        await foreach (var feature in aha.Features.ListAllByProductAsync("PRJ1"))
        {
            Console.WriteLine($"{feature.ReferenceNum} {feature.Name} [{feature.WorkflowStatus?.Name}]");
        }

        // Create, read and update: each one expression returning the record (never null).
        var created = await aha.Features.CreateAsync("PRJ1-R-1", new FeatureCreate { Name = "Export to CSV", Description = "<p>From the sync job</p>" });
        var key = created.ReferenceNum ?? created.Id ?? "";   // Aha! sends both; an empty id would be an ArgumentException
        var read = await aha.Features.GetAsync(key);
        var update = read.ToUpdate();                         // what was read, in the shape the PUT accepts
        update.Name = "Export to CSV and Excel";
        await aha.Features.UpdateAsync(key, update);
        await aha.Features.UpdateCustomFieldsAsync(key, CustomFieldUpdate.Set("priority", "P1"));

        // Does it still exist? null for a 404, no exception.
        var maybe = await aha.Features.TryGetAsync("PRJ1-999");
        Console.WriteLine(maybe is null ? "PRJ1-999 is gone" : $"still there: {maybe}");
        #endregion
        return key;
    }

    public static ServiceProvider CreateWithDependencyInjection(Uri baseUrl, string token)
    {
        #region add-client
        // With dependency injection: binds the "Aha" configuration section when an IConfiguration is registered,
        // then applies this delegate; AhaClient and the per-resource clients (FeaturesClient, ...) are injectable.
        var services = new ServiceCollection();
        services.AddAhaClient(options =>
        {
            options.BaseUrl = baseUrl;
            options.Token = token;
            options.UserAgent = "Roadmap sync (ops@example.com)";
        });
        var provider = services.BuildServiceProvider();
        var aha = provider.GetRequiredService<AhaClient>();
        #endregion
        _ = aha;
        return provider;
    }

    public static async Task<(int Records, string FirstReference)> PageAsync(AhaClient aha)
    {
        #region paging
        // Every feature, 200 per request, pages fetched as the loop needs them.
        var count = 0;
        string? first = null;
        await foreach (var feature in aha.Features.ListAllAsync(new FeaturesListOptions { Fields = "reference_num,name" }))
        {
            first ??= feature.ReferenceNum;
            count++;
        }
        Console.WriteLine($"{count} features, the first is {first}");

        // Page by page, for progress reports.
        await foreach (var page in aha.Ideas.ListAllAsync().AsPages(perPage: 100))
        {
            Console.WriteLine($"ideas page {page.CurrentPage}/{page.TotalPages}: {page.Items.Count} records");
        }
        #endregion
        return (count, first!);
    }

    public static async Task<string?> UpdateCustomFieldAsync(AhaClient aha, string featureKey)
    {
        #region custom-fields
        // Read a typed custom field, write it with the record's one PUT, read it back.
        var feature = await aha.Features.GetAsync(featureKey);
        var before = feature.CustomFields?.TryGet("priority", out var field) == true ? field.AsString() : null;

        var saved = await aha.Features.UpdateCustomFieldsAsync(featureKey, CustomFieldUpdate.Set("priority", "P1").Set("customer_impact", 8));

        var after = saved.CustomFields?["priority"].AsString();
        Console.WriteLine($"{feature.ReferenceNum} priority: {before ?? "(none)"} -> {after}");
        #endregion
        return after;
    }

    public static async Task<int> BurstAsync(AhaClient aha, IReadOnlyList<string> featureKeys)
    {
        #region rate-limit
        // A 429 is handled for you: the client waits as long as Aha! asks (Retry-After, retry_after or
        // X-Ratelimit-Reset), pauses every request sharing the budget, and retries (POSTs too: a 429 was not processed).
        var features = await Task.WhenAll(featureKeys.Select(key => aha.Features.GetAsync(key)));
        Console.WriteLine($"{features.Length} features read; 429s absorbed so far: {aha.RateLimit.RateLimitedResponses}");
        #endregion
        return features.Length;
    }

    public static async Task<int> HandleRateLimitYourselfAsync(AhaClient aha, IReadOnlyList<string> featureKeys)
    {
        var rateLimited = 0;
        #region rate-limit-exception
        // With retries off (or exhausted), a 429 surfaces as AhaRateLimitException, carrying the server's delay.
        async Task<Feature> GetOnceAsync(string key)
        {
            try
            {
                return await aha.Features.GetAsync(key, new FeaturesGetOptions { RequestOptions = AhaRequestOptions.NoRetries });
            }
            catch (AhaRateLimitException ex)
            {
                Interlocked.Increment(ref rateLimited);
                await Task.Delay(ex.RetryAfter ?? TimeSpan.FromSeconds(1));
                return await aha.Features.GetAsync(key);    // default retries again
            }
        }

        var results = await Task.WhenAll(featureKeys.Select(GetOnceAsync));
        #endregion
        return rateLimited;
    }
}
