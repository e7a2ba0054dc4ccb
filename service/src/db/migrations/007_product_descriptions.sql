-- A product's name in words ("Orange juice 1l"), from an upload's description column: the latest non-empty one an
-- upload gave wins; an upload without one leaves it as it was. Shown beside the product id.
ALTER TABLE products ADD COLUMN description text;
