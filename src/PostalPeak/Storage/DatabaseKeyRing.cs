using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace PostalPeak.Storage;

/// <summary>
/// ASP.NET Core's data-protection key ring in PostgreSQL instead of the home folder of whoever runs the app,
/// so that several instances behind one address accept each other's cookies and anti-forgery tokens. The
/// keys are as safe as the database, which holds the password hashes anyway.
/// </summary>
internal sealed class DatabaseKeyRing(NpgsqlDataSource db) : IXmlRepository
{
    // The framework calls these synchronously, rarely (at start and when a key is due), never on a request path.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenConnection();
        return connection.Query<string>("select xml from data_protection_key order by id").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.OpenConnection();
        connection.Execute("insert into data_protection_key (friendly_name, xml) values (@friendlyName, @xml)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
