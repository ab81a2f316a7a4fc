using System.CommandLine;
using PostalPeak.Audit;

namespace PostalPeak.Cli;

internal static class CarrierCommands
{
    public static Command Create()
    {
        var code = new Option<string>("--code") { Description = "Carrier code, e.g. VNP (2-20 letters, digits, '-', '_').", Required = true };
        var name = new Option<string>("--name") { Description = "Carrier name as it should appear in reports.", Required = true };
        var email = new Option<string[]>("--email") { Description = "Contact e-mail for alerts (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var phone = new Option<string?>("--phone") { Description = "Contact phone." };
        var json = Commands.JsonOption();
        var add = new Command("add", "Add a carrier.") { code, name, email, phone, json };
        add.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var carrier = await context.Get<Carriers.Carriers>().AddAsync(
                parse.GetValue(code)!, parse.GetValue(name)!, parse.GetValue(email) ?? [], parse.GetValue(phone), Actor.CommandLine());
            if (parse.GetValue(json))
                await context.WriteJsonAsync(carrier);
            else
                await context.Output.WriteLineAsync($"Carrier {carrier.Code} ({carrier.Name}) added.");
            return ExitCodes.Success;
        });

        var listJson = Commands.JsonOption();
        var list = new Command("list", "List the carriers.") { listJson };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var all = await context.Get<Carriers.Carriers>().ListAsync();
            if (parse.GetValue(listJson))
                await context.WriteJsonAsync(all);
            else
                foreach (var c in all)
                    await context.Output.WriteLineAsync($"{c.Code,-20} {c.Name}  {string.Join(", ", c.ContactEmails)}");
            return ExitCodes.Success;
        });

        return new Command("carrier", "Manage carriers.") { add, list };
    }
}
