module campaign.example/campaign

go 1.19
