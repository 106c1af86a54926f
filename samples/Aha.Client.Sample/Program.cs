// A consumer of the packed Aha.Client, run against a local Aha! server (the packed Aha.Sandbox): creates the client
// with and without dependency injection, pages through records, updates a custom field and lives through 429s.
// Prints one "CHECK <name>: ok|FAILED ..." line per step and ends with "SAMPLE PASSED" (exit 0) or "SAMPLE FAILED"
// (exit 1); build/consumer-check.sh reads those lines.
using System.Reflection;
using System.Runtime.InteropServices;
using Aha.Client;
using Aha.Client.Sample;
using Aha.Sandbox;
using Microsoft.Extensions.DependencyInjection;

var failures = 0;
void Check(string name, bool ok, string detail)
{
    Console.WriteLine($"CHECK {name}: {(ok ? "ok" : "FAILED")} ({detail})");
    if (!ok)
    {
        failures++;
    }
}

var clientAssembly = typeof(AhaClient).Assembly;
Console.WriteLine($"runtime {RuntimeInformation.FrameworkDescription}, built for {AppContext.TargetFrameworkName}");
Console.WriteLine($"Aha.Client {clientAssembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}" +
                  $" (library built for {clientAssembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()?.FrameworkName})");
Console.WriteLine($"generated from OpenAPI info.version {clientAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AhaOpenApiVersion")?.Value}");

// Aha! allows 20 requests/s per IP; this sandbox allows 4, so the client (which paces itself at Aha!'s 20/s, as if
// another process on the same IP used the rest of the budget) really gets 429s and must recover from them.
await using var sandbox = await AhaSandbox.StartAsync(new AhaSandboxOptions
{
    Products = 2,
    FeaturesPerProduct = 250,
    IdeasPerProduct = 120,
    RateLimit = { ShortWindowLimit = 4, ShortWindow = TimeSpan.FromSeconds(1), LongWindowLimit = 10_000 },
});
Console.WriteLine($"sandbox at {sandbox.BaseAddress}");

try
{
    // 1. Without dependency injection. The documented form (Account + AHA_TOKEN) is built and validated for real (no
    //    request leaves the machine: nothing is called on it); the calls then go to the sandbox through BaseUrl.
    Environment.SetEnvironmentVariable("AHA_TOKEN", sandbox.Token);
    var documented = QuickStart.CreateForAccount();
    Check("create-client", documented.HttpClient.BaseAddress == new Uri("https://yourcompany.aha.io/api/v1/"), $"base address {documented.HttpClient.BaseAddress}");

    var aha = QuickStart.CreateForServer(sandbox.BaseAddress, sandbox.Token);
    var createdKey = await QuickStart.FirstCallsAsync(aha);
    var createdPriority = sandbox.Records("features").Single(f => (string?)f["reference_num"] == createdKey)["custom_fields"]!.AsArray()
        .Single(cf => (string?)cf!["key"] == "priority")!["value"]!.GetValue<string>();
    Check("first-calls", createdPriority == "P1", $"created {createdKey}, its priority is {createdPriority}");

    var (records, firstReference) = await QuickStart.PageAsync(aha);
    var expected = sandbox.Count("features");
    Check("paging", records == expected && firstReference is not null, $"{records} of {expected} features");

    var priority = await QuickStart.UpdateCustomFieldAsync(aha, firstReference!);
    var stored = sandbox.Records("features").Single(f => (string?)f["reference_num"] == firstReference)["custom_fields"]!.AsArray()
        .Single(cf => (string?)cf!["key"] == "priority")!["value"]!.GetValue<string>();
    Check("custom-field", priority == "P1" && stored == "P1", $"client read {priority}, sandbox holds {stored}");

    // 2. With dependency injection: the same budget (Aha! counts per IP, so all clients of a process share it).
    await using var provider = QuickStart.CreateWithDependencyInjection(sandbox.BaseAddress, sandbox.Token);
    var injected = provider.GetRequiredService<AhaClient>();
    var keys = sandbox.Records("features", "reference_num").Take(24).Select(f => (string)f["reference_num"]!).ToList();

    var before = sandbox.Statistics.RateLimitedResponses;
    var read = await QuickStart.BurstAsync(injected, keys);
    var served429 = sandbox.Statistics.RateLimitedResponses - before;
    Check("429-retried", read == keys.Count && served429 > 0 && injected.RateLimit.RateLimitedResponses > 0,
          $"{read}/{keys.Count} reads succeeded; the sandbox answered {served429} x 429, the client saw {injected.RateLimit.RateLimitedResponses}");

    before = sandbox.Statistics.RateLimitedResponses;
    var caught = await QuickStart.HandleRateLimitYourselfAsync(injected, keys);
    Check("429-exception", caught > 0 && caught <= sandbox.Statistics.RateLimitedResponses - before,
          $"{caught} AhaRateLimitException(s) caught and recovered from");
}
catch (Exception ex)
{
    Check("unexpected-exception", false, ex.ToString());
}

Console.WriteLine(failures == 0 ? "SAMPLE PASSED" : $"SAMPLE FAILED ({failures} check(s))");
return failures == 0 ? 0 : 1;
