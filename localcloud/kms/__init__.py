"""AWS KMS: keys whose private half is made when first used."""
